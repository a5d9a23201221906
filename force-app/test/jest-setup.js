// Registers the sa11y matcher: every component test checks `toBeAccessible()`.
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();
