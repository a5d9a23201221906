import type { AppDeps } from '../deps';
import type { AnyRoute } from '../route';
import { activityRoutes } from './activities';
import { auditRoutes } from './audit';
import { crmRoutes } from './crm';
import { opsRoutes } from './ops';
import { orgRoutes } from './org';
import { profileRoutes } from './profiles';
import { repRoutes } from './rep';
import { ruleRoutes } from './rules';
import { rulePreviewRoutes } from './rule-preview';
import { salesforceFieldRoutes } from './salesforce-fields';
import { setupRoutes } from './setup';
import { systemRoutes } from './system';
import { tenancyRoutes } from './tenancy';
import { teamRoutes } from './teams';
import { userRoutes } from './users';
import { writebackRoutes } from './writeback';

/** Every route group of the API; a feature adds its group here. */
export function allRoutes(deps: AppDeps): AnyRoute[] {
    return [
        ...systemRoutes(deps),
        ...orgRoutes(deps),
        ...tenancyRoutes(deps),
        ...auditRoutes(deps),
        ...profileRoutes(deps),
        ...ruleRoutes(deps),
        ...setupRoutes(deps),
        ...userRoutes(deps),
        ...teamRoutes(deps),
        ...crmRoutes(deps),
        ...repRoutes(deps),
        ...activityRoutes(deps),
        ...salesforceFieldRoutes(deps),
        ...writebackRoutes(deps),
        ...opsRoutes(deps),
        ...rulePreviewRoutes(deps)
    ];
}
