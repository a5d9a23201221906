import type { Caller } from './caller';
import type { ServiceDeps } from './deps';
import { timeSlicer } from '../domain/limits';
import { parseUsersCsv, stringifyUsersCsv, type CsvUserRow, type ImportError } from '../domain/user-csv';
import { normalizeLicenses, USER_DEFAULTS } from '../domain/users';
import { newId } from '../store/ids';
import { getOrg } from '../store/orgs';
import type { Db } from '../store/db';
import {
    customTeamsOf,
    ensureUnassignedTeam,
    insertUsers,
    listTeamRows,
    recordAuditMany,
    toUserDto,
    updateUser,
    UNASSIGNED_TEAM_NAME,
    type AuditRow,
    type NewUser,
    type TeamRow,
    type UserPatch,
    type UserRow
} from '../store/users';

const PATH_SEPARATOR = ' > ';

/**
 * How a CSV names a hierarchy team: its name when no other hierarchy team has it, otherwise its
 * path from the top (`Sales > East`), so that an export always re-imports to the same team.
 */
function teamNames(teams: TeamRow[]): {
    nameOf: Map<string, string>;
    resolve: (text: string) => string | 'ambiguous' | undefined;
} {
    const hierarchy = teams.filter((t) => t.kind === 'hierarchy');
    const byId = new Map(hierarchy.map((t) => [t.id, t]));
    const pathOf = (t: TeamRow): string => {
        const parts: string[] = [];
        const seen = new Set<string>();
        let cur: TeamRow | undefined = t;
        while (cur && !seen.has(cur.id)) {
            seen.add(cur.id);
            parts.unshift(cur.name);
            cur = cur.parent_id ? byId.get(cur.parent_id) : undefined;
        }
        return parts.join(PATH_SEPARATOR);
    };
    const byName = new Map<string, TeamRow[]>();
    for (const t of hierarchy) byName.set(t.name.toLowerCase(), [...(byName.get(t.name.toLowerCase()) ?? []), t]);
    const byPath = new Map(hierarchy.map((t) => [pathOf(t).toLowerCase(), t]));
    const nameOf = new Map(
        hierarchy.map((t) => [t.id, (byName.get(t.name.toLowerCase()) ?? []).length > 1 ? pathOf(t) : t.name])
    );
    return {
        nameOf,
        resolve: (text) => {
            const k = text.trim().toLowerCase();
            const named = byName.get(k) ?? [];
            if (named.length === 1) return named[0]?.id;
            if (named.length > 1) return 'ambiguous';
            return byPath.get(k.split(/\s*>\s*/).join(PATH_SEPARATOR))?.id;
        }
    };
}

export interface ImportResult {
    created: number;
    updated: number;
    errors: ImportError[];
    teamsCreated: string[];
    /** validate only: the rows that would be applied. */
    validRows?: number;
}

interface ImportLookups {
    automatic: boolean;
    profileByName: Map<string, string>;
    defaultProfile: string;
    names: ReturnType<typeof teamNames>;
    userByEmail: Map<string, UserRow>;
    unassigned: TeamRow | undefined;
}

interface ValidRow {
    row: CsvUserRow;
    existing: UserRow | undefined;
    teamId: string | null | undefined;
    profileId: string | undefined;
}

async function loadLookups(trx: Db, orgId: string): Promise<ImportLookups> {
    const org = await getOrg(trx, orgId);
    const [profiles, teams, users] = await Promise.all([
        trx.selectFrom('profiles').select(['id', 'name_key', 'is_default']).where('org_id', '=', orgId).execute(),
        listTeamRows(trx, orgId),
        trx.selectFrom('users').selectAll().where('org_id', '=', orgId).execute()
    ]);
    return {
        automatic: org.mode === 'automatic',
        profileByName: new Map(profiles.map((p) => [p.name_key, p.id])),
        defaultProfile: profiles.find((p) => p.is_default)?.id as string,
        names: teamNames(teams),
        userByEmail: new Map(users.map((u) => [u.email_key, u])),
        unassigned: teams.find((t) => t.sync_key === 'unassigned')
    };
}

/**
 * Check each row against the org (profiles, teams, automatic mode's read-only fields): the rows
 * that can be applied, every row error, and the team names a manual-mode file introduces.
 */
async function checkRows(
    rows: CsvUserRow[],
    lookups: ImportLookups
): Promise<{ valid: ValidRow[]; errors: ImportError[]; newTeams: Map<string, string> }> {
    const { automatic, profileByName, names, userByEmail, unassigned } = lookups;
    const errors: ImportError[] = [];
    const newTeams = new Map<string, string>(); // lower(name) → new id (manual mode: unknown team names become top-level teams)
    const valid: ValidRow[] = [];
    const slice = timeSlicer(); // SEC-6: 20,000 rows never hold the event loop
    for (const row of rows) {
        await slice.maybeYield();
        const rowErrors: ImportError[] = [];
        const fail = (column: string, message: string) => rowErrors.push({ line: row.line, column, message });
        const col = (c: keyof CsvUserRow['headers']) => row.headers[c] ?? c;
        const existing = userByEmail.get(row.email.toLowerCase());

        let profileId: string | undefined;
        if (row.profile !== undefined) {
            profileId = profileByName.get(row.profile.toLowerCase());
            if (!profileId) fail(col('Configuration Profile'), `no configuration profile named "${row.profile}"`);
        }

        let teamId: string | null | undefined;
        if (row.team !== undefined) {
            const found = names.resolve(row.team);
            if (found === 'ambiguous')
                fail(
                    col('Team'),
                    `several teams are named "${row.team}": write the path, e.g. Parent${PATH_SEPARATOR}${row.team}`
                );
            else if (found) teamId = found;
            else if (!automatic && !row.team.includes('>')) {
                const k = row.team.toLowerCase();
                teamId = newTeams.get(k) ?? newId('team');
                newTeams.set(k, teamId);
            } else fail(col('Team'), `no team named "${row.team}"`);
        }

        if (automatic) {
            // UT-8 / UT-15: Salesforce owns names, titles and teams of synced users; users added
            // by hand sit in Unassigned.
            const linked = existing?.salesforce_user_id;
            const readOnly = (c: keyof CsvUserRow['headers'], given: string | undefined, current: string | null) => {
                if (given !== undefined && given !== (current ?? undefined))
                    fail(col(c), 'is read-only in automatic mode: it comes from Salesforce (UT-8)');
            };
            if (linked && existing) {
                readOnly('First Name', row.firstName, existing.first_name);
                readOnly('Last Name', row.lastName, existing.last_name);
                readOnly('Job Title', row.jobTitle, existing.job_title);
            }
            const currentTeam = existing ? existing.team_id : (unassigned?.id ?? null);
            const isUnassignedName = row.team?.toLowerCase() === UNASSIGNED_TEAM_NAME.toLowerCase();
            if (row.team !== undefined && teamId !== currentTeam && !(isUnassignedName && !existing))
                fail(
                    col('Team'),
                    existing
                        ? 'is read-only in automatic mode: teams come from Salesforce (UT-8)'
                        : 'in automatic mode users added by hand sit in the Unassigned group (UT-15): leave Team empty'
                );
            teamId = undefined;
        }
        if (rowErrors.length > 0) errors.push(...rowErrors);
        else if (row.valid) valid.push({ row, existing, teamId, profileId });
    }
    return { valid, errors, newTeams };
}

/** Create the teams that the applied rows name and that do not exist yet (manual mode). */
async function createNamedTeams(
    trx: Db,
    caller: Caller,
    rows: CsvUserRow[],
    valid: ValidRow[],
    newTeams: Map<string, string>
): Promise<{ teamsCreated: string[]; teamAudit: AuditRow[] }> {
    // Teams the rows that are applied name and that do not exist yet.
    const usedNewTeams = new Set(valid.map((v) => v.teamId).filter((id): id is string => !!id));
    const teamsCreated: string[] = [];
    const teamAudit: AuditRow[] = [];
    for (const row of rows) {
        const k = row.team?.toLowerCase();
        const id = k === undefined ? undefined : newTeams.get(k);
        if (!id || !usedNewTeams.has(id) || teamsCreated.some((n) => n.toLowerCase() === k)) continue;
        await trx
            .insertInto('teams')
            .values({
                id,
                org_id: caller.orgId,
                name: row.team as string,
                parent_id: null,
                kind: 'hierarchy',
                manager_user_id: null,
                salesforce_role_id: null
            })
            .execute();
        teamsCreated.push(row.team as string);
        teamAudit.push({
            entity: 'team',
            entityId: id,
            action: 'create',
            before: null,
            after: {
                id,
                name: row.team,
                parentId: null,
                kind: 'hierarchy',
                managerUserId: null,
                salesforceRoleId: null
            }
        });
    }

    return { teamsCreated, teamAudit };
}

/** Insert the new users, update the known ones, and record one audit event each. */
async function applyRows(
    trx: Db,
    caller: Caller,
    valid: ValidRow[],
    lookups: ImportLookups,
    teamAudit: AuditRow[]
): Promise<{ created: number; updated: number }> {
    const { automatic, defaultProfile } = lookups;
    const unassignedId =
        automatic && valid.some((v) => !v.existing) ? await ensureUnassignedTeam(trx, caller.orgId) : null;
    const inserts: NewUser[] = [];
    const audit: AuditRow[] = [...teamAudit];
    const updatedRows: { before: UserRow; patch: UserPatch }[] = [];
    const slice = timeSlicer(); // SEC-6
    for (const { row, existing, teamId, profileId } of valid) {
        await slice.maybeYield();
        if (!existing) {
            inserts.push({
                id: newId('usr'),
                first_name: row.firstName,
                last_name: row.lastName,
                email: row.email,
                job_title: row.jobTitle ?? null,
                salesforce_user_id: null,
                role: row.role ?? USER_DEFAULTS.role,
                licenses: normalizeLicenses(row.licenses ?? USER_DEFAULTS.licenses),
                visibility: row.visibility ?? USER_DEFAULTS.visibility,
                profile_id: profileId ?? defaultProfile,
                team_id: automatic ? unassignedId : (teamId ?? null),
                status: 'pending',
                source: 'csv',
                salesforce_license: null
            });
            continue;
        }
        const patch: UserPatch = {};
        if (row.firstName !== existing.first_name) patch.first_name = row.firstName;
        if (row.lastName !== existing.last_name) patch.last_name = row.lastName;
        if (row.email !== existing.email) patch.email = row.email;
        if (row.jobTitle !== undefined && row.jobTitle !== existing.job_title) patch.job_title = row.jobTitle;
        if (row.role !== undefined && row.role !== existing.role) patch.role = row.role;
        if (row.visibility !== undefined && row.visibility !== existing.visibility) patch.visibility = row.visibility;
        if (row.licenses !== undefined && row.licenses.join() !== normalizeLicenses(existing.licenses).join())
            patch.licenses = row.licenses;
        if (profileId !== undefined && profileId !== existing.profile_id) patch.profile_id = profileId;
        if (teamId !== undefined && teamId !== existing.team_id) patch.team_id = teamId;
        if (Object.keys(patch).length > 0) updatedRows.push({ before: existing, patch });
    }

    const insertedIds = await insertUsers(trx, caller.orgId, inserts);
    for (const [i, u] of inserts.entries()) {
        await slice.maybeYield();
        const id = insertedIds[i] as string;
        audit.push({
            entity: 'user',
            entityId: id,
            action: 'create',
            before: null,
            after: toUserDto(
                {
                    ...u,
                    id,
                    org_id: caller.orgId,
                    email_key: u.email.toLowerCase(),
                    status_reason: null,
                    suspended_from: null,
                    created_at: new Date(),
                    updated_at: new Date()
                },
                []
            )
        });
    }
    const custom = await customTeamsOf(
        trx,
        caller.orgId,
        updatedRows.map((u) => u.before.id)
    );
    for (const { before, patch } of updatedRows) {
        await updateUser(trx, caller.orgId, before.id, patch);
        const teams = custom.get(before.id) ?? [];
        audit.push({
            entity: 'user',
            entityId: before.id,
            action: 'update',
            before: toUserDto(before, teams),
            after: toUserDto({ ...before, ...patch } as UserRow, teams)
        });
    }
    await recordAuditMany(trx, caller.orgId, caller.actor, audit);
    return { created: inserts.length, updated: updatedRows.length };
}

/**
 * UT-6: create users for new emails, update the users whose email is known. all_or_nothing: any
 * bad row and nothing changes; apply_valid: the good rows are applied, the bad ones reported.
 * One transaction, batch inserts (a 10,000-row file takes seconds).
 */
export async function importUsersCsv(
    deps: ServiceDeps,
    caller: Caller,
    text: string,
    mode: 'all_or_nothing' | 'apply_valid' | 'validate'
): Promise<ImportResult> {
    const parsed = await parseUsersCsv(text);
    const errors = [...parsed.errors];
    // A header problem leaves no row to trust, in either mode.
    if (parsed.rows.length === 0 && errors.length > 0) return { created: 0, updated: 0, errors, teamsCreated: [] };

    return deps.store.db.transaction().execute(async (trx) => {
        const lookups = await loadLookups(trx, caller.orgId);
        const checked = await checkRows(parsed.rows, lookups);
        errors.push(...checked.errors);
        // By line; within a line a row's own errors come before its team and profile errors (stable sort).
        errors.sort((a, b) => a.line - b.line);
        if (mode === 'all_or_nothing' && errors.length > 0) return { created: 0, updated: 0, errors, teamsCreated: [] };
        if (mode === 'validate')
            return {
                created: 0,
                updated: 0,
                errors,
                teamsCreated: newTeamNames(parsed.rows, checked.valid, checked.newTeams),
                validRows: checked.valid.length
            };
        const { teamsCreated, teamAudit } = await createNamedTeams(
            trx,
            caller,
            parsed.rows,
            checked.valid,
            checked.newTeams
        );
        const { created, updated } = await applyRows(trx, caller, checked.valid, lookups, teamAudit);
        return { created, updated, errors, teamsCreated };
    });
}

/** The new teams the applied rows would create, by the name the file first gives them. */
function newTeamNames(rows: CsvUserRow[], valid: ValidRow[], newTeams: Map<string, string>): string[] {
    const used = new Set(valid.map((v) => v.teamId).filter((id): id is string => !!id));
    const names = new Map<string, string>();
    for (const row of rows) {
        const k = row.team?.toLowerCase();
        const id = k === undefined ? undefined : newTeams.get(k);
        if (k !== undefined && id && used.has(id) && !names.has(k)) names.set(k, row.team as string);
    }
    return [...names.values()];
}

/** Every user in the import format (UT-6), by last name, first name, email. */
export async function exportUsersCsv(deps: ServiceDeps, caller: Caller): Promise<string> {
    const db = deps.store.db;
    const orgId = caller.orgId;
    const [users, teams, profiles] = await Promise.all([
        db.selectFrom('users').selectAll().where('org_id', '=', orgId).execute(),
        listTeamRows(db, orgId),
        db.selectFrom('profiles').select(['id', 'name']).where('org_id', '=', orgId).execute()
    ]);
    const names = teamNames(teams);
    const profileName = new Map(profiles.map((p) => [p.id, p.name]));
    users.sort(
        (a, b) =>
            a.last_name.localeCompare(b.last_name) ||
            a.first_name.localeCompare(b.first_name) ||
            a.email_key.localeCompare(b.email_key)
    );
    return stringifyUsersCsv(
        users.map((u) => ({
            firstName: u.first_name,
            lastName: u.last_name,
            email: u.email,
            role: u.role,
            licenses: normalizeLicenses(u.licenses),
            visibility: u.visibility,
            team: u.team_id ? (names.nameOf.get(u.team_id) ?? '') : '',
            profile: profileName.get(u.profile_id) ?? '',
            jobTitle: u.job_title ?? ''
        }))
    );
}
