import type { ColumnType, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { ActivityTables } from './activities';
import type { CrmTables } from './crm';
import type { FollowUpTables } from './follow-ups';
import type { TenancyTables } from './connections';
import type { UserSyncTables } from './user-sync';
import type { WritebackTables } from './outbox';

/** A timestamptz column the database fills on insert. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A jsonb column: read as T, written through `json(value)`. */
export type Json<T> = ColumnType<T, RawBuilder<T>, RawBuilder<T>>;

/** Serialise a value for a jsonb column the same way on PGlite and PostgreSQL. */
export function json<T>(value: T): RawBuilder<T> {
    return sql<T>`${JSON.stringify(value)}::jsonb`;
}

// ---------------------------------------------------------------------------------------------
// Foundation (0001): tenants, keys, audit, and the shared user/team/profile tables every
// feature refers to. Each later migration adds its own table interfaces in its module and
// extends `Database` below.
// ---------------------------------------------------------------------------------------------

export interface OrgTable {
    id: string;
    name: string;
    salesforce_org_id: string | null;
    instance_url: string | null;
    mode: ColumnType<'manual' | 'automatic', 'manual' | 'automatic' | undefined>;
    hierarchy_source: ColumnType<'role' | 'manager', 'role' | 'manager' | undefined>;
    sync_interval_minutes: ColumnType<number, number | undefined>;
    last_sync_at: NullableTimestamp;
    created_at: CreatedAt;
    updated_at: CreatedAt;
    /** 0003: the automatic user sync's SystemModstamp watermarks (UT-2). */
    user_sync_watermark: ColumnType<string | null, string | null | undefined>;
    role_sync_watermark: ColumnType<string | null, string | null | undefined>;
}

export interface ApiKeyTable {
    id: string;
    org_id: string;
    /** sha256 of the key, hex; the key itself is never stored. */
    key_hash: string;
    label: string;
    created_at: CreatedAt;
    revoked_at: NullableTimestamp;
    /** 0005: the first characters of the key, to tell keys apart (TEN-3); null for keys made before 0005. */
    prefix: ColumnType<string | null, string | null | undefined, string | null>;
    last_used_at: NullableTimestamp;
}

export interface ProfileTable {
    id: string;
    org_id: string;
    name: string;
    /** lower(name): names are unique case-insensitively per org (CP-3). */
    name_key: string;
    is_default: ColumnType<boolean, boolean | undefined>;
    activity: Json<Record<string, boolean>>;
    matching: Json<unknown>;
    notifications: Json<unknown>;
    created_at: CreatedAt;
    updated_at: CreatedAt;
}

export interface TeamTable {
    id: string;
    org_id: string;
    name: string;
    parent_id: string | null;
    kind: 'hierarchy' | 'custom';
    manager_user_id: string | null;
    salesforce_role_id: string | null;
    /** 0003: `role:<id>`, `manager:<id>`, `top` or `unassigned` for teams the automatic sync owns. */
    sync_key: ColumnType<string | null, string | null | undefined>;
    created_at: CreatedAt;
    updated_at: CreatedAt;
}

export type UserRole = 'admin' | 'manager' | 'member' | 'data';
export type Visibility = 'full' | 'team' | 'individual';
export type UserStatus = 'pending' | 'onboarding' | 'permission_error' | 'active' | 'suspended';
export type UserSource = 'manual' | 'csv' | 'role_import' | 'automatic';
export type SuspensionReason = 'manual' | 'salesforce_deactivated' | 'salesforce_license_changed';
export type License = 'foundation' | 'engagement_dashboard' | 'forecasting' | 'unified_enterprise';

export interface UserTable {
    id: string;
    org_id: string;
    first_name: string;
    last_name: string;
    email: string;
    /** lower(email): unique per org (UT-7). */
    email_key: string;
    job_title: string | null;
    salesforce_user_id: string | null;
    role: UserRole;
    licenses: Json<License[]>;
    visibility: Visibility;
    profile_id: string;
    team_id: string | null;
    status: UserStatus;
    source: UserSource;
    /** 0003: why a user is suspended (UT-9, UT-13), the status to restore, the Salesforce licence seen last. */
    status_reason: ColumnType<SuspensionReason | null, SuspensionReason | null | undefined>;
    suspended_from: ColumnType<
        Exclude<UserStatus, 'suspended'> | null,
        Exclude<UserStatus, 'suspended'> | null | undefined
    >;
    salesforce_license: ColumnType<string | null, string | null | undefined>;
    created_at: CreatedAt;
    updated_at: CreatedAt;
}

/** Membership of custom teams (UT-4): a user may be in several. */
export interface TeamMemberTable {
    org_id: string;
    team_id: string;
    user_id: string;
}

export interface AuditEventTable {
    id: string;
    org_id: string;
    at: CreatedAt;
    actor: string;
    entity: 'profile' | 'rule' | 'user' | 'team' | 'org' | 'activity' | 'follow_up';
    entity_id: string;
    action: 'create' | 'update' | 'delete';
    before: Json<unknown>;
    after: Json<unknown>;
}

export interface FoundationTables {
    orgs: OrgTable;
    api_keys: ApiKeyTable;
    profiles: ProfileTable;
    teams: TeamTable;
    users: UserTable;
    team_members: TeamMemberTable;
    audit_events: AuditEventTable;
    id_counter?: never;
}

export interface UserSettingsRuleTable {
    id: string;
    org_id: string;
    position: number;
    name: string;
    description: string;
    is_catch_all: boolean;
    filters: Json<unknown>;
    assignments: Json<unknown>;
}

export interface RuleTables {
    user_settings_rules: UserSettingsRuleTable;
}

// Feature modules add their table maps here (one `extends` each).
export interface Database
    extends
        FoundationTables,
        RuleTables,
        CrmTables,
        ActivityTables,
        UserSyncTables,
        TenancyTables,
        WritebackTables,
        FollowUpTables {}
