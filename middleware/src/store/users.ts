import { sql, type Kysely, type Selectable, type Transaction, type ExpressionBuilder } from 'kysely';
import type { VisibilityGraph } from '../domain/visibility';
import { newId } from './ids';
import { jsonRowChunks } from './statement-chunks';
import { json, type AuditEventTable, type Database, type TeamTable, type UserTable } from './schema';

type Db = Kysely<Database> | Transaction<Database>;

export type UserRow = Selectable<UserTable>;
export type TeamRow = Selectable<TeamTable>;

/** The API's User (API.md), plus why a suspended user is suspended. */
export interface UserDto {
    id: string;
    firstName: string;
    lastName: string;
    email: string;
    jobTitle: string | null;
    salesforceUserId: string | null;
    role: UserRow['role'];
    licenses: UserRow['licenses'];
    visibility: UserRow['visibility'];
    profileId: string;
    teamId: string | null;
    customTeamIds: string[];
    status: UserRow['status'];
    statusReason: UserRow['status_reason'];
    source: UserRow['source'];
}

export interface TeamDto {
    id: string;
    name: string;
    parentId: string | null;
    kind: TeamRow['kind'];
    managerUserId: string | null;
    salesforceRoleId: string | null;
    memberCount: number;
}

export function toUserDto(row: UserRow, customTeamIds: string[]): UserDto {
    return {
        id: row.id,
        firstName: row.first_name,
        lastName: row.last_name,
        email: row.email,
        jobTitle: row.job_title,
        salesforceUserId: row.salesforce_user_id,
        role: row.role,
        licenses: row.licenses,
        visibility: row.visibility,
        profileId: row.profile_id,
        teamId: row.team_id,
        customTeamIds,
        status: row.status,
        statusReason: row.status_reason,
        source: row.source
    };
}

/** What a list or a count of users is narrowed to; list and stats share it so they always agree. */
export interface UserFilter {
    status?: UserRow['status'] | undefined;
    teamId?: string | undefined;
    profileId?: string | undefined;
    /** Case-insensitive substring of first name, last name, full name or email. */
    q?: string | undefined;
    /** Visibility (UT-12): the users the caller may see. */
    visible: 'all' | Set<string>;
}

function applyFilter(eb: ExpressionBuilder<Database, 'users'>, orgId: string, f: UserFilter) {
    const conds = [eb('users.org_id', '=', orgId)];
    if (f.status) conds.push(eb('users.status', '=', f.status));
    if (f.profileId) conds.push(eb('users.profile_id', '=', f.profileId));
    if (f.teamId) {
        const teamId = f.teamId;
        conds.push(
            eb.or([
                eb('users.team_id', '=', teamId),
                eb(
                    'users.id',
                    'in',
                    eb
                        .selectFrom('team_members')
                        .select('team_members.user_id')
                        .where('team_members.org_id', '=', orgId)
                        .where('team_members.team_id', '=', teamId)
                )
            ])
        );
    }
    if (f.q) {
        const pattern = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        conds.push(
            eb.or([
                eb(sql`lower(users.first_name || ' ' || users.last_name)`, 'like', pattern),
                eb('users.email_key', 'like', pattern)
            ])
        );
    }
    if (f.visible !== 'all') conds.push(eb('users.id', 'in', f.visible.size ? [...f.visible] : ['']));
    return eb.and(conds);
}

export interface UserCursor {
    last: string;
    first: string;
    id: string;
}

/** One page of users by last name, first name, id (keyset on the same key). */
export async function listUsers(
    db: Db,
    orgId: string,
    filter: UserFilter,
    page: { limit: number; after?: UserCursor | undefined }
): Promise<{ items: UserDto[]; next: UserCursor | null }> {
    let q = db
        .selectFrom('users')
        .selectAll()
        .where((eb) => applyFilter(eb, orgId, filter));
    if (page.after) {
        const a = page.after;
        q = q.where(
            sql<boolean>`(lower(users.last_name), lower(users.first_name), users.id) > (${a.last}, ${a.first}, ${a.id})`
        );
    }
    const rows = await q
        .orderBy(sql`lower(users.last_name)`)
        .orderBy(sql`lower(users.first_name)`)
        .orderBy('users.id')
        .limit(page.limit + 1)
        .execute();
    const pageRows = rows.slice(0, page.limit);
    const custom = await customTeamsOf(
        db,
        orgId,
        pageRows.map((r) => r.id)
    );
    const last = pageRows.at(-1);
    return {
        items: pageRows.map((r) => toUserDto(r, custom.get(r.id) ?? [])),
        next:
            rows.length > page.limit && last
                ? { last: last.last_name.toLowerCase(), first: last.first_name.toLowerCase(), id: last.id }
                : null
    };
}

/** Counts by status over exactly the users the list would return (UT-13). */
export async function countUsers(
    db: Db,
    orgId: string,
    filter: Omit<UserFilter, 'status'>
): Promise<Map<string, number>> {
    const rows = await db
        .selectFrom('users')
        .select(['users.status', sql<number>`count(*)`.as('n')])
        .where((eb) => applyFilter(eb, orgId, filter))
        .groupBy('users.status')
        .execute();
    return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

export async function customTeamsOf(db: Db, orgId: string, userIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (userIds.length === 0) return out;
    const rows = await db
        .selectFrom('team_members')
        .select(['user_id', 'team_id'])
        .where('org_id', '=', orgId)
        .where('user_id', 'in', userIds)
        .orderBy('team_id')
        .execute();
    for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.team_id]);
    return out;
}

export async function getUserRow(db: Db, orgId: string, id: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

export async function getUser(db: Db, orgId: string, id: string): Promise<UserDto | null> {
    const row = await getUserRow(db, orgId, id);
    if (!row) return null;
    return toUserDto(row, (await customTeamsOf(db, orgId, [id])).get(id) ?? []);
}

export async function findUserByEmail(db: Db, orgId: string, email: string): Promise<UserRow | undefined> {
    return db
        .selectFrom('users')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('email_key', '=', email.trim().toLowerCase())
        .executeTakeFirst();
}

export type NewUser = Omit<
    UserRow,
    'id' | 'org_id' | 'email_key' | 'created_at' | 'updated_at' | 'status_reason' | 'suspended_from'
> & { id?: string };

const BATCH = 1000;

/**
 * Insert users in bulk inside the caller's transaction: each statement carries its rows as one
 * jsonb parameter (much faster than 17 parameters a row on PGlite), at most STATEMENT_LIMITS
 * of them (SEC-6: no statement holds PGlite's thread long).
 */
export async function insertUsers(trx: Db, orgId: string, users: NewUser[]): Promise<string[]> {
    const ids: string[] = [];
    const chunks = jsonRowChunks(users, (u) => {
        const id = u.id ?? newId('usr');
        ids.push(id);
        return {
            id,
            org_id: orgId,
            first_name: u.first_name,
            last_name: u.last_name,
            email: u.email.trim(),
            email_key: u.email.trim().toLowerCase(),
            job_title: u.job_title,
            salesforce_user_id: u.salesforce_user_id,
            role: u.role,
            licenses: u.licenses,
            visibility: u.visibility,
            profile_id: u.profile_id,
            team_id: u.team_id,
            status: u.status,
            source: u.source,
            salesforce_license: u.salesforce_license
        };
    });
    for (const chunk of chunks) {
        await sql`
            insert into users (id, org_id, first_name, last_name, email, email_key, job_title, salesforce_user_id, role,
                               licenses, visibility, profile_id, team_id, status, source, salesforce_license)
            select id, org_id, first_name, last_name, email, email_key, job_title, salesforce_user_id, role,
                   licenses, visibility, profile_id, team_id, status, source, salesforce_license
            from jsonb_to_recordset(${chunk}::jsonb) as x(
                id text, org_id text, first_name text, last_name text, email text, email_key text, job_title text,
                salesforce_user_id text, role text, licenses jsonb, visibility text, profile_id text, team_id text,
                status text, source text, salesforce_license text)`.execute(trx);
    }
    return ids;
}

export type UserPatch = Partial<
    Pick<
        UserRow,
        | 'first_name'
        | 'last_name'
        | 'email'
        | 'job_title'
        | 'salesforce_user_id'
        | 'role'
        | 'licenses'
        | 'visibility'
        | 'profile_id'
        | 'team_id'
        | 'status'
        | 'status_reason'
        | 'suspended_from'
        | 'salesforce_license'
    >
>;

export async function updateUser(trx: Db, orgId: string, id: string, patch: UserPatch): Promise<void> {
    const { licenses, email, ...rest } = patch;
    await trx
        .updateTable('users')
        .set({
            ...rest,
            ...(licenses !== undefined ? { licenses: json(licenses) } : {}),
            ...(email !== undefined ? { email: email.trim(), email_key: email.trim().toLowerCase() } : {}),
            updated_at: sql`now()`
        })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .execute();
}

/** Replace a user's custom-team memberships. */
export async function setUserCustomTeams(trx: Db, orgId: string, userId: string, teamIds: string[]): Promise<void> {
    await trx.deleteFrom('team_members').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
    if (teamIds.length > 0)
        await trx
            .insertInto('team_members')
            .values(teamIds.map((team_id) => ({ org_id: orgId, team_id, user_id: userId })))
            .execute();
}

/** Delete a user; their activities go with them (activities.owner_user_id cascades), memberships too. */
export async function deleteUser(trx: Db, orgId: string, id: string): Promise<void> {
    await trx.deleteFrom('users').where('org_id', '=', orgId).where('id', '=', id).execute();
}

/** Who is where: the input of visibleOwnerIds (UT-12). */
export async function loadVisibilityGraph(db: Db, orgId: string): Promise<VisibilityGraph> {
    const [users, teams, members] = await Promise.all([
        db.selectFrom('users').select(['id', 'team_id', 'status']).where('org_id', '=', orgId).execute(),
        db.selectFrom('teams').select(['id', 'parent_id', 'manager_user_id']).where('org_id', '=', orgId).execute(),
        db.selectFrom('team_members').select(['user_id', 'team_id']).where('org_id', '=', orgId).execute()
    ]);
    const custom = new Map<string, string[]>();
    for (const m of members) custom.set(m.user_id, [...(custom.get(m.user_id) ?? []), m.team_id]);
    return {
        users: users.map((u) => ({
            id: u.id,
            teamId: u.team_id,
            customTeamIds: custom.get(u.id) ?? [],
            status: u.status
        })),
        teams: teams.map((t) => ({ id: t.id, parentId: t.parent_id, managerUserId: t.manager_user_id }))
    };
}

// ---------------------------------------------------------------------------------------------
// Teams (UT-4)
// ---------------------------------------------------------------------------------------------

async function memberCounts(db: Db, orgId: string): Promise<Map<string, number>> {
    const [direct, custom] = await Promise.all([
        db
            .selectFrom('users')
            .select(['team_id', sql<number>`count(*)`.as('n')])
            .where('org_id', '=', orgId)
            .where('team_id', 'is not', null)
            .groupBy('team_id')
            .execute(),
        db
            .selectFrom('team_members')
            .select(['team_id', sql<number>`count(*)`.as('n')])
            .where('org_id', '=', orgId)
            .groupBy('team_id')
            .execute()
    ]);
    const out = new Map<string, number>();
    for (const r of [...direct, ...custom]) if (r.team_id) out.set(r.team_id, (out.get(r.team_id) ?? 0) + Number(r.n));
    return out;
}

export function toTeamDto(row: TeamRow, memberCount: number): TeamDto {
    return {
        id: row.id,
        name: row.name,
        parentId: row.parent_id,
        kind: row.kind,
        managerUserId: row.manager_user_id,
        salesforceRoleId: row.salesforce_role_id,
        memberCount
    };
}

export async function listTeamRows(db: Db, orgId: string): Promise<TeamRow[]> {
    return db
        .selectFrom('teams')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('kind')
        .orderBy(sql`lower(name)`)
        .orderBy('id')
        .execute();
}

export async function listTeams(db: Db, orgId: string): Promise<TeamDto[]> {
    const [rows, counts] = await Promise.all([listTeamRows(db, orgId), memberCounts(db, orgId)]);
    return rows.map((r) => toTeamDto(r, counts.get(r.id) ?? 0));
}

export async function getTeamRow(db: Db, orgId: string, id: string): Promise<TeamRow | undefined> {
    return db.selectFrom('teams').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

export async function getTeam(db: Db, orgId: string, id: string): Promise<TeamDto | null> {
    const row = await getTeamRow(db, orgId, id);
    if (!row) return null;
    return toTeamDto(row, (await memberCounts(db, orgId)).get(id) ?? 0);
}

export async function setTeamMembers(trx: Db, orgId: string, teamId: string, userIds: string[]): Promise<void> {
    await trx.deleteFrom('team_members').where('org_id', '=', orgId).where('team_id', '=', teamId).execute();
    for (let i = 0; i < userIds.length; i += BATCH) {
        await trx
            .insertInto('team_members')
            .values(userIds.slice(i, i + BATCH).map((user_id) => ({ org_id: orgId, team_id: teamId, user_id })))
            .execute();
    }
}

// ---------------------------------------------------------------------------------------------
// Audit in bulk: a CSV import or a sync records one event per user without one round trip each.
// ---------------------------------------------------------------------------------------------

export interface AuditRow {
    entity: AuditEventTable['entity'];
    entityId: string;
    action: AuditEventTable['action'];
    before: unknown;
    after: unknown;
}

export async function recordAuditMany(trx: Db, orgId: string, actor: string, entries: AuditRow[]): Promise<void> {
    // SEC-6: at most STATEMENT_LIMITS rows and characters a statement.
    const chunks = jsonRowChunks(entries, (e) => ({
        id: newId('aud'),
        org_id: orgId,
        actor,
        entity: e.entity,
        entity_id: e.entityId,
        action: e.action,
        before: e.before ?? null,
        after: e.after ?? null
    }));
    for (const chunk of chunks)
        await sql`
            insert into audit_events (id, org_id, actor, entity, entity_id, action, before, after)
            select id, org_id, actor, entity, entity_id, action, coalesce(before, 'null'::jsonb), coalesce(after, 'null'::jsonb)
            from jsonb_to_recordset(${chunk}::jsonb) as x(
                id text, org_id text, actor text, entity text, entity_id text, action text, before jsonb, after jsonb)`.execute(
            trx
        );
}

/** The audit snapshot of a user (the API shape). */
export function userSnapshot(row: UserRow, customTeamIds: string[] = []): UserDto {
    return toUserDto(row, customTeamIds);
}

/** The `Unassigned` group (UT-15): where users added by hand sit in automatic mode. */
export const UNASSIGNED_TEAM_NAME = 'Unassigned';

export async function ensureUnassignedTeam(trx: Db, orgId: string): Promise<string> {
    const existing = await trx
        .selectFrom('teams')
        .select('id')
        .where('org_id', '=', orgId)
        .where('sync_key', '=', 'unassigned')
        .executeTakeFirst();
    if (existing) return existing.id;
    const id = newId('team');
    await trx
        .insertInto('teams')
        .values({
            id,
            org_id: orgId,
            name: UNASSIGNED_TEAM_NAME,
            parent_id: null,
            kind: 'hierarchy',
            manager_user_id: null,
            salesforce_role_id: null,
            sync_key: 'unassigned'
        })
        .execute();
    return id;
}
