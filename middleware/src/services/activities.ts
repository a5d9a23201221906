import type { Kysely, Transaction } from 'kysely';
import { ApiError, invalid, notFound } from '../errors';
import { parseEml } from '../domain/intake/eml';
import { parseIcs } from '../domain/intake/ics';
import { TextBody } from '../domain/text-body';
import { OrgZoneRegistry } from '../domain/intake/zones';
import { IntakeFormatError, uniqueParticipants, type ParsedActivity } from '../domain/intake/types';
import { matchActivity } from '../domain/matching/pipeline';
import type { MatchResult } from '../domain/matching/types';
import {
    matchingSettings,
    type ActivitySettings,
    type MatchingSettings,
    type ProfileSections
} from '../domain/profile';
import { defaultProfileSections } from '../domain/profile-defaults';
import { canSee } from '../domain/visibility';
import { applyLifecycleEvent } from './user-lifecycle';
import { getActivity, upsertActivity, type ActivityRow, type ActivitySource } from '../store/activities';
import { mapWithReplica, withReplica } from '../store/crm';
import { getProfile } from '../store/profiles';
import type { Database } from '../store/schema';
import type { Caller } from './caller';
import {
    findOwners,
    intakeActivities,
    prepare,
    refusedWrite,
    type ActivityInput,
    type Prepared
} from './activity-intake';
import { scopeOf } from './visibility';
import { z } from 'zod';
import type { ServiceDeps } from './deps';
import { effectiveMatch } from './rep-activities';
import { activitySync, enqueueActivityWrite, type SyncView } from './writeback';

export type { ActivityInput };

export interface PreviewInput {
    activity: Omit<ActivityInput, 'externalId'> & { externalId?: string | undefined };
    profileId?: string | undefined;
    profile?: { matching?: z.infer<typeof matchingSettings> | undefined } | undefined;
}

/** Activities and matching (MATCH-1..MATCH-5): capture, file import, reads by visibility, preview. */

/**
 * Store one prepared activity. SEC-5: re-sending an externalId updates the activity only when
 * the caller may write it (its owner, an admin, the org key); anyone else gets 409 and nothing
 * changes (decided in the upsert itself).
 */
async function save(
    db: Kysely<Database> | Transaction<Database>,
    caller: Caller,
    p: Prepared,
    source: ActivitySource
): Promise<{
    id: string;
    externalId: string;
    status: 'matched' | 'unmatched';
    created: boolean;
    transcript: 'stored' | 'dropped' | 'none';
}> {
    const { parsed, owner, match } = p;
    const saved = await upsertActivity(
        db,
        caller.orgId,
        {
            externalId: parsed.externalId,
            type: parsed.type,
            source,
            ownerUserId: owner.id,
            ownerEmail: owner.email,
            subject: parsed.subject,
            body: parsed.body,
            startsAt: parsed.startsAt,
            endsAt: parsed.endsAt,
            participants: p.participants,
            transcript: p.transcript,
            match
        },
        caller.isAdmin || !caller.actingUser ? 'any' : { userId: caller.actingUser.userId }
    );
    if (saved === 'refused') throw refusedWrite(parsed.externalId);
    return {
        id: saved.id,
        externalId: parsed.externalId,
        status: match.who || match.what ? 'matched' : 'unmatched',
        created: saved.created,
        transcript: p.transcriptState
    };
}

/** SEC-7: the VTIMEZONEs each org uploaded, per store (one per app), keyed by org and bounded. */
const zoneRegistries = new WeakMap<object, OrgZoneRegistry>();
function zonesOf(deps: ServiceDeps, orgId: string) {
    let registry = zoneRegistries.get(deps.store);
    if (!registry) {
        registry = new OrgZoneRegistry();
        zoneRegistries.set(deps.store, registry);
    }
    return registry.forOrg(orgId);
}

/**
 * Reads (SEC-2): the owner's Display Data off hides the activity from every reader (CP-4), a
 * suspended owner's past data is hidden (UT-9), and a reader sees only owners within their
 * visibility (UT-12). Hidden reads are 404: the caller learns nothing of what exists.
 */
async function readable(deps: ServiceDeps, caller: Caller, id: string): Promise<ActivityRow> {
    const db = deps.store.db;
    const row = await getActivity(db, caller.orgId, id);
    if (!row) throw notFound('Activity', id);
    const owner = await db
        .selectFrom('users')
        .innerJoin('profiles', 'profiles.id', 'users.profile_id')
        .select(['users.status', 'profiles.activity'])
        .where('users.org_id', '=', caller.orgId)
        .where('users.id', '=', row.owner_user_id)
        .executeTakeFirst();
    if (!owner || owner.status === 'suspended' || (owner.activity as ActivitySettings).displayData !== true)
        throw notFound('Activity', id);
    if (!canSee((await scopeOf(db, caller)).owners, row.owner_user_id)) throw notFound('Activity', id);
    return row;
}

function toApi(row: ActivityRow, sync: SyncView) {
    return {
        id: row.id,
        externalId: row.external_id,
        type: row.type,
        source: row.source,
        ownerUserId: row.owner_user_id,
        ownerEmail: row.owner_email,
        subject: row.subject,
        body: row.body,
        startsAt: new Date(row.starts_at).toISOString(),
        endsAt: row.ends_at ? new Date(row.ends_at).toISOString() : null,
        participants: row.participants,
        transcript: row.transcript,
        match: effectiveMatch(row),
        matchedAt: row.matched_at ? new Date(row.matched_at).toISOString() : null,
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
        sync
    };
}

const emptyMatch: MatchResult = { who: null, what: null, candidates: [] };

/** Give unsaved eligibility and ranking groups ids, as saving would. */
function withPreviewIds(m: MatchingSettings): MatchingSettings {
    let n = 0;
    const next = () => `preview_${++n}`;
    return {
        ...m,
        eligibility: Object.fromEntries(
            Object.entries(m.eligibility).map(([type, e]) => [
                type,
                { ...e, groups: e.groups.map((g) => ({ ...g, id: g.id ?? next() })) }
            ])
        ) as MatchingSettings['eligibility'],
        rankingGroups: m.rankingGroups.map((g) => ({ ...g, id: g.id ?? next() })) as MatchingSettings['rankingGroups']
    };
}

/**
 * Capture an email or meeting (MATCH-1) and match it (MATCH-4), gated per owner (CP-4): a batch
 * of one (one owner look-up, one transaction with its outbox rows), answering its error if any.
 */
export async function captureActivity(deps: ServiceDeps, caller: Caller, body: ActivityInput) {
    const [outcome] = await intakeActivities(deps, caller, [body]);
    if (!outcome) throw new Error('intake answered nothing');
    if ('error' in outcome) throw outcome.error;
    return outcome.ok;
}

/**
 * SCALE-3: capture up to 1,000 activities in one call, a result per item (the answer the single
 * call would give it). Items that failed validation come as their ApiError and keep it.
 */
export async function captureActivities(deps: ServiceDeps, caller: Caller, items: (ActivityInput | ApiError)[]) {
    const outcomes = await intakeActivities(deps, caller, items);
    const results = outcomes.map((o, index) =>
        'ok' in o
            ? { index, status: 202, result: o.ok, error: null }
            : { index, status: o.error.status, result: null, error: o.error.toBody().error }
    );
    const stored = results.filter((r) => r.result !== null).length;
    return { stored, failed: results.length - stored, results };
}

/** Import an .eml or .ics file (MATCH-1): one activity per message or VEVENT. */
export async function importActivityFile(
    deps: ServiceDeps,
    caller: Caller,
    file: { contentType: string | undefined; text: unknown },
    query: { ownerEmail?: string | undefined }
) {
    const db = deps.store.db;
    const type = (file.contentType ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'message/rfc822' && type !== 'text/calendar')
        throw new ApiError(
            'validation_failed',
            'headers.content-type: must be message/rfc822 (.eml) or text/calendar (.ics)',
            [{ path: 'headers.content-type', message: 'must be message/rfc822 or text/calendar' }],
            415
        );
    const raw = typeof file.text === 'string' ? TextBody.of(file.text) : file.text;
    if (!(raw instanceof TextBody) || raw.isBlank()) throw invalid('body', 'is empty');
    let parsed: ParsedActivity[];
    try {
        // SEC-6 bounded parsing that yields; SEC-7 time zones of this org only.
        parsed =
            type === 'message/rfc822'
                ? [await parseEml(raw)]
                : await parseIcs(raw, { zones: zonesOf(deps, caller.orgId) });
    } catch (error) {
        if (error instanceof IntakeFormatError) throw invalid(error.path, error.message);
        throw error;
    }
    const everyEmail = query.ownerEmail
        ? [query.ownerEmail]
        : [...new Set(parsed.flatMap((a) => a.participants.map((p) => p.email.toLowerCase())))];
    const owners = new Map((await findOwners(db, caller.orgId, everyEmail)).map((o) => [o.email.toLowerCase(), o]));
    const matchable = parsed.map((activity) => {
        const emails = query.ownerEmail ? [query.ownerEmail] : activity.participants.map((p) => p.email);
        const owner = emails.map((e) => owners.get(e.toLowerCase())).find((o) => o !== undefined);
        if (!owner)
            throw invalid(
                'ownerEmail',
                query.ownerEmail
                    ? `no Backstory user with the email ${query.ownerEmail} in this org`
                    : 'none of the addresses in the file is a Backstory user of this org; pass ?ownerEmail='
            );
        return { activity, owner };
    });
    // SCALE-2: the file matched on the cached index or by SQL look-ups, a slice at a time (SEC-6).
    const prepared = await mapWithReplica(db, caller.orgId, matchable, ({ activity, owner }, replica) =>
        prepare(caller, activity, owner, replica)
    );
    // SEC-6: all or nothing: one refused event (SEC-5) and no event of the file is stored.
    const source = type === 'message/rfc822' ? 'eml' : 'ics';
    const items = await db.transaction().execute(async (trx) => {
        const out = [];
        for (const p of prepared) out.push(await save(trx, caller, p, source));
        await applyLifecycleEvent(
            trx,
            caller.orgId,
            caller.actor,
            prepared.map((p) => p.owner.id),
            { kind: 'activity_captured' }
        );
        return out;
    });
    // MATCH-6: once the file is stored, each revision goes to the write-back outbox.
    for (const item of items) await enqueueActivityWrite(deps, { orgId: caller.orgId, actor: caller.actor }, item.id);
    return { items };
}

/** One activity the caller may read (SEC-2, UT-12, CP-4, UT-9). */
export async function getReadableActivity(deps: ServiceDeps, caller: Caller, id: string) {
    const row = await readable(deps, caller, id);
    const sync = await activitySync(deps, { orgId: caller.orgId, actor: caller.actor }, [row.id]);
    return toApi(row, sync.get(row.id)!);
}

/** Why an activity matched (MATCH-5), under the same read rules. */
export async function explainMatch(deps: ServiceDeps, caller: Caller, id: string) {
    return effectiveMatch(await readable(deps, caller, id)) ?? emptyMatch;
}

/** Dry-run matching under a saved or unsaved profile (MATCH-5); nothing is stored. */
export async function previewMatch(deps: ServiceDeps, caller: Caller, body: PreviewInput) {
    const db = deps.store.db;
    const [owner] = await findOwners(db, caller.orgId, [body.activity.ownerEmail]);
    let sections: ProfileSections | null = null;
    if (body.profileId) {
        const saved = await getProfile(db, caller.orgId, body.profileId);
        if (!saved) throw invalid('profileId', `no profile ${body.profileId} in this org`);
        sections = saved;
    } else if (owner) {
        sections = { ...defaultProfileSections(), activity: owner.activity, matching: owner.matching };
    }
    if (!sections && !body.profile?.matching)
        throw invalid(
            'profileId',
            'give profileId or profile.matching (the owner is not a Backstory user, so there is no profile to use)'
        );
    const matching = withPreviewIds(
        (body.profile?.matching as MatchingSettings | undefined) ?? (sections as ProfileSections).matching
    );
    return await withReplica(db, caller.orgId, (replica) =>
        matchActivity(
            {
                type: body.activity.type,
                subject: body.activity.subject,
                startsAt: new Date(body.activity.startsAt).toISOString(),
                ownerEmail: body.activity.ownerEmail,
                ownerSalesforceUserId: owner?.salesforceUserId ?? null,
                participants: uniqueParticipants(body.activity.participants)
            },
            replica,
            matching
        )
    );
}
