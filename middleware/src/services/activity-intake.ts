import type { Kysely } from 'kysely';
import { ApiError, conflict, forbidden, invalid } from '../errors';
import { timeSlicer } from '../domain/limits';
import { transcriptToText } from '../domain/intake/transcript';
import { uniqueParticipants, type ParsedActivity } from '../domain/intake/types';
import type { ReplicaLookup } from '../domain/matching/replica-index';
import { matchActivity } from '../domain/matching/pipeline';
import type { MatchResult } from '../domain/matching/types';
import type { ActivitySettings, MatchingSettings } from '../domain/profile';
import { isProcessingAllowed } from '../domain/users';
import { upsertActivities, type ActivitySource } from '../store/activities';
import { mapWithReplica } from '../store/crm';
import { retryOnDeadlock } from '../store/outbox';
import type { Database } from '../store/schema';
import type { Caller } from './caller';
import type { ServiceDeps } from './deps';
import { applyLifecycleEvent } from './user-lifecycle';
import { enqueueActivityWrites, proposesContacts, scheduleWriteback } from './writeback';

/**
 * Intake of API activities (MATCH-1, MATCH-4, CP-4, SEC-5), one or a batch (SCALE-3). A batch
 * costs a fixed number of round trips whatever its size: one look-up of every owner, one of the
 * replica version (the match index is cached per org), and one transaction with a multi-row
 * upsert of the activities and a multi-row insert of their outbox rows (per 500). The single
 * POST /v1/activities is a batch of one: same rules, same answers.
 */

export type ActivityInput = Omit<ParsedActivity, 'ownerEmail' | 'body' | 'endsAt' | 'transcript'> & {
    ownerEmail: string;
    body?: string | null | undefined;
    endsAt?: string | null | undefined;
    transcript?: string | null | undefined;
};

export interface Owner {
    id: string;
    email: string;
    role: string;
    status: string;
    salesforceUserId: string | null;
    profileId: string;
    profileName: string;
    activity: ActivitySettings;
    matching: MatchingSettings;
}

/** Backstory users of the org by email (case-insensitive), in the order asked; unknown ones left out. */
export async function findOwners(db: Kysely<Database>, orgId: string, emails: string[]): Promise<Owner[]> {
    if (emails.length === 0) return [];
    const keys = [...new Set(emails.map((e) => e.toLowerCase()))];
    const rows = await db
        .selectFrom('users')
        .innerJoin('profiles', 'profiles.id', 'users.profile_id')
        .select([
            'users.id',
            'users.email',
            'users.email_key',
            'users.role',
            'users.status',
            'users.salesforce_user_id',
            'users.profile_id',
            'profiles.name as profile_name',
            'profiles.activity',
            'profiles.matching'
        ])
        .where('users.org_id', '=', orgId)
        .where('users.email_key', 'in', keys)
        .execute();
    const byKey = new Map(rows.map((r) => [r.email_key, r]));
    return emails.flatMap((e) => {
        const r = byKey.get(e.toLowerCase());
        if (!r) return [];
        return [
            {
                id: r.id,
                email: r.email,
                role: r.role,
                status: r.status,
                salesforceUserId: r.salesforce_user_id,
                profileId: r.profile_id,
                profileName: r.profile_name,
                activity: r.activity as ActivitySettings,
                matching: r.matching as MatchingSettings
            }
        ];
    });
}

/**
 * CP-4 (with UT-9, UT-10): may this owner's activity be captured? Refusals are 409 `conflict`
 * (the request is well-formed; the owner's current settings forbid it) naming `ownerEmail`, and
 * nothing is stored.
 */
export function gate(owner: Owner): void {
    if (!isProcessingAllowed(owner)) {
        const why =
            owner.status === 'suspended'
                ? `${owner.email} is suspended: their activity is not processed (UT-9)`
                : `${owner.email} has the Data role: their own mail and calendar are not captured (UT-10)`;
        throw conflict(`ownerEmail: ${why}; the activity was not stored`, [{ path: 'ownerEmail', message: why }]);
    }
    if (!owner.activity.intakeData) {
        const why = `Intake Data is off in the profile "${owner.profileName}" of ${owner.email} (CP-4)`;
        throw conflict(`ownerEmail: ${why}; the activity was not stored`, [{ path: 'ownerEmail', message: why }]);
    }
}

export interface Prepared {
    parsed: ParsedActivity;
    owner: Owner;
    participants: ParsedActivity['participants'];
    transcript: string | null;
    transcriptState: 'stored' | 'dropped' | 'none';
    match: MatchResult;
}

/** Gate (CP-4, who may submit) and match one activity; nothing is written yet. */
export function prepare(caller: Caller, parsed: ParsedActivity, owner: Owner, replica: ReplicaLookup): Prepared {
    // A user calling for themselves may submit only their own activity; admins (and the org key) any.
    if (!caller.isAdmin && caller.actingUser?.userId !== owner.id)
        throw forbidden('Only admins may submit activities of other users');
    gate(owner);
    let transcript: string | null = null;
    let transcriptState: 'stored' | 'dropped' | 'none' = 'none';
    if (parsed.transcript !== null && parsed.transcript.trim() !== '') {
        if (owner.activity.transcriptIntake) {
            transcript = transcriptToText(parsed.transcript);
            transcriptState = 'stored';
        } else transcriptState = 'dropped'; // CP-4: Transcript Intake off
    }
    const participants = uniqueParticipants(parsed.participants);
    const match = matchActivity(
        {
            type: parsed.type,
            subject: parsed.subject,
            startsAt: parsed.startsAt,
            ownerEmail: owner.email,
            ownerSalesforceUserId: owner.salesforceUserId,
            participants,
            // .eml imports: List-Unsubscribe, Precedence, Auto-Submitted tell bulk mail and auto-replies.
            headers: parsed.headers
        },
        replica,
        owner.matching
    );
    return { parsed, owner, participants, transcript, transcriptState, match };
}

export interface IntakeResult {
    id: string;
    externalId: string;
    status: 'matched' | 'unmatched';
    created: boolean;
    transcript: 'stored' | 'dropped' | 'none';
}

/** SEC-5: the stored activity with this externalId is someone else's. */
export function refusedWrite(externalId: string): ApiError {
    const why = 'belongs to another user: only its owner or an admin may change it (SEC-5)';
    return conflict(`externalId: an activity with the externalId "${externalId}" ${why}; nothing was changed`, [
        { path: 'externalId', message: why }
    ]);
}

/** What each item of a batch came to: stored (and matched), or the error it alone would have answered. */
export type IntakeOutcome = { ok: IntakeResult } | { error: ApiError };

function toParsed(body: ActivityInput): ParsedActivity {
    return {
        externalId: body.externalId,
        type: body.type,
        ownerEmail: body.ownerEmail,
        subject: body.subject,
        body: body.body ?? null,
        startsAt: new Date(body.startsAt).toISOString(),
        endsAt: body.endsAt ? new Date(body.endsAt).toISOString() : null,
        participants: body.participants,
        transcript: body.transcript ?? null
    };
}

/** The statuses an owner's captured activity moves to Active (UT-13, `nextStatus`). */
const MOVED_BY_CAPTURE = new Set(['pending', 'onboarding']);

/**
 * Store and match activities of one org (SCALE-3). Items given as an ApiError (they failed
 * validation) keep it; every other item is gated, matched and, in one transaction, written with
 * its outbox rows (MATCH-6). Answers one outcome per item, in order. A re-send of the same
 * externalIds updates the same activities and outbox rows (idempotent); an externalId twice in
 * one batch is a 400 on its second occurrence.
 */
export async function intakeActivities(
    deps: ServiceDeps,
    caller: Caller,
    items: (ActivityInput | ApiError)[],
    source: ActivitySource = 'api'
): Promise<IntakeOutcome[]> {
    const db = deps.store.db;
    const outcomes: (IntakeOutcome | undefined)[] = items.map((item) =>
        item instanceof ApiError ? { error: item } : undefined
    );
    const inputs = items.map((item) => (item instanceof ApiError ? null : item));
    const emails = inputs.flatMap((i) => (i ? [i.ownerEmail] : []));
    const owners = new Map((await findOwners(db, caller.orgId, emails)).map((o) => [o.email.toLowerCase(), o]));
    const seen = new Map<string, number>();
    const slice = timeSlicer();
    const toMatch: { at: number; input: ActivityInput; owner: Owner }[] = [];
    for (const [at, input] of inputs.entries()) {
        if (!input) continue;
        try {
            const first = seen.get(input.externalId);
            if (first !== undefined)
                throw invalid('externalId', `repeats the externalId of item ${first} of this batch`);
            seen.set(input.externalId, at);
            const owner = owners.get(input.ownerEmail.toLowerCase());
            if (!owner) throw invalid('ownerEmail', `no Backstory user with the email ${input.ownerEmail} in this org`);
            toMatch.push({ at, input, owner });
        } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            outcomes[at] = { error };
        }
        await slice.maybeYield();
    }
    // SCALE-2: the items matched over the cached index, or over SQL look-ups that serve a whole
    // slice at once when the org is not cached; SEC-6: MATCH_SLICE at a time, with turns between.
    // The same pass tells which activities propose contacts to create (MATCH-12), for the outbox.
    const matched = await mapWithReplica(db, caller.orgId, toMatch, ({ at, input, owner }, replica) => {
        try {
            const p = prepare(caller, toParsed(input), owner, replica);
            const newContacts =
                owner.activity.contactCreation &&
                proposesContacts({ participants: p.participants, owner_email: owner.email }, replica);
            return { at, p, newContacts };
        } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            return { at, error };
        }
    });
    const prepared: { at: number; p: Prepared; newContacts: boolean }[] = [];
    for (const m of matched) {
        if (m.p) prepared.push({ at: m.at, p: m.p, newContacts: m.newContacts });
        else if (m.error) outcomes[m.at] = { error: m.error };
    }
    let pending = false;
    if (prepared.length > 0) {
        const writer = caller.isAdmin || !caller.actingUser ? 'any' : { userId: caller.actingUser.userId };
        pending = await retryOnDeadlock(() =>
            db.transaction().execute(async (trx) => {
                // UT-13 (below) locks the rows of owners who may move; taken before the activity
                // rows, whose foreign key share-locks the same users: two batches of one owner
                // then queue instead of deadlocking on the upgrade to the update lock.
                const mayMove = [
                    ...new Set(
                        prepared.filter(({ p }) => MOVED_BY_CAPTURE.has(p.owner.status)).map(({ p }) => p.owner.id)
                    )
                ].sort();
                if (mayMove.length > 0)
                    await trx
                        .selectFrom('users')
                        .select('id')
                        .where('org_id', '=', caller.orgId)
                        .where('id', 'in', mayMove)
                        .orderBy('id')
                        .forUpdate()
                        .execute();
                const saved = await upsertActivities(
                    trx,
                    caller.orgId,
                    prepared.map(({ p }) => ({
                        externalId: p.parsed.externalId,
                        type: p.parsed.type,
                        source,
                        ownerUserId: p.owner.id,
                        ownerEmail: p.owner.email,
                        subject: p.parsed.subject,
                        body: p.parsed.body,
                        startsAt: p.parsed.startsAt,
                        endsAt: p.parsed.endsAt,
                        participants: p.participants,
                        transcript: p.transcript,
                        match: p.match
                    })),
                    writer
                );
                const written: Parameters<typeof enqueueActivityWrites>[2] = [];
                for (const [n, { at, p, newContacts }] of prepared.entries()) {
                    const s = saved[n];
                    if (!s || s === 'refused') {
                        outcomes[at] = { error: refusedWrite(p.parsed.externalId) };
                        continue;
                    }
                    outcomes[at] = {
                        ok: {
                            id: s.id,
                            externalId: p.parsed.externalId,
                            status: p.match.who || p.match.what ? 'matched' : 'unmatched',
                            created: s.created,
                            transcript: p.transcriptState
                        }
                    };
                    written.push({
                        activity: {
                            id: s.id,
                            type: p.parsed.type,
                            owner_email: p.owner.email,
                            participants: p.participants
                        },
                        owner: p.owner,
                        newContacts
                    });
                }
                // UT-13: an owner's first captured activity moves them to Active, in the same
                // transaction. Only Pending and Onboarding owners move (as read with the owners:
                // a batch of Active owners costs no round trip and locks no user row).
                const moving = prepared
                    .filter(({ at, p }) => 'ok' in (outcomes[at] ?? {}) && MOVED_BY_CAPTURE.has(p.owner.status))
                    .map(({ p }) => p.owner.id);
                if (moving.length > 0)
                    await applyLifecycleEvent(trx, caller.orgId, caller.actor, moving, { kind: 'activity_captured' });
                // MATCH-6: each new revision goes to the write-back outbox (or is marked skipped, CP-4).
                return written.length > 0 ? enqueueActivityWrites(trx, caller.orgId, written) : false;
            })
        );
    }
    if (pending) await scheduleWriteback(deps, caller.orgId);
    return outcomes.map((o) => o ?? { error: new ApiError('internal', 'the item was not processed') });
}
