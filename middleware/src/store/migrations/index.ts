import type { Migration } from 'kysely';
import * as foundation from './0001-foundation';
import * as userSettingsRules from './0002-user-settings-rules';
import * as usersTeams from './0003-users-teams';
import * as crmMatching from './0004-crm-matching';
import * as tenancy from './0005-tenancy';
import * as writeback from './0006-writeback';
import * as followUps from './0007-follow-ups';
import * as matchKeys from './0011-match-keys';
import * as notificationBudget from './0012-notification-budget';
import * as intakeOrgKeys from './0013-intake-org-keys';

/**
 * Every migration, in order. Names are fixed once released: add new ones at the end, never
 * edit one that has shipped. The same SQL runs on PGlite and PostgreSQL.
 */
export const migrations: Record<string, Migration> = {
    '0001-foundation': foundation,
    '0002-user-settings-rules': userSettingsRules,
    '0003-users-teams': usersTeams,
    '0004-crm-matching': crmMatching,
    '0005-tenancy': tenancy,
    '0006-writeback': writeback,
    '0007-follow-ups': followUps,
    '0011-match-keys': matchKeys,
    '0012-notification-budget': notificationBudget,
    '0013-intake-org-keys': intakeOrgKeys
};
