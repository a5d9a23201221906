import { sql } from 'kysely';
import { invalid, invalidMany, notFound } from '../errors';
import type { FieldCatalog } from '../domain/field-references';
import { answerProblem, isBlank, questionView, salesforceValue, type QuestionView } from '../domain/follow-ups';
import type { NotificationSettings } from '../domain/profile';
import { describeCatalog } from '../salesforce/describe';
import { recordAudit } from '../store/audit';
import { json } from '../store/schema';
import type { FollowUpRow } from '../store/follow-ups';
import type { WriteBack } from './activity-writes';
import type { RepCaller, RepServiceDeps } from './rep-context';
import type { SyncView } from './writeback';

/**
 * Follow-up questions (MATCH-8, CP-7): each user's open follow-ups, with the questions of the
 * meeting owner's profile described by the org (label, type, picklist, length, required), and
 * answers validated against that describe, stored, and written to the meeting's Event.
 */

export interface FollowUpView {
    id: string;
    activityId: string;
    status: 'open' | 'answered';
    meeting: {
        subject: string;
        startsAt: string;
        endsAt: string | null;
        whatId: string | null;
        whatName: string | null;
        eventId: string | null;
    };
    categoryField: string | null;
    categories: string[];
    category: string | null;
    questions: QuestionView[];
    answers: { questionId: string; value: unknown }[];
    createdAt: string;
    answeredAt: string | null;
}

export interface FollowUpFilter {
    status?: 'open' | 'answered' | undefined;
    activityId?: string | undefined;
    eventId?: string | undefined;
    limit: number;
}

function me(caller: RepCaller): string {
    if (!caller.actingUser)
        throw invalid('headers.x-acting-user', 'is required: follow-ups belong to the Salesforce user who acts');
    return caller.actingUser.userId;
}

type Joined = FollowUpRow & {
    subject: string;
    starts_at: Date;
    ends_at: Date | null;
    what_id: string | null;
    notifications: unknown;
    event_id: string | null;
    what_name: string | null;
};

function baseQuery(deps: RepServiceDeps, orgId: string) {
    return deps.store.db
        .selectFrom('follow_ups')
        .innerJoin('activities', 'activities.id', 'follow_ups.activity_id')
        .innerJoin('users as owner', 'owner.id', 'activities.owner_user_id')
        .innerJoin('profiles', 'profiles.id', 'owner.profile_id')
        .leftJoin('writeback_items as event', (j) =>
            j
                .onRef('event.org_id', '=', 'follow_ups.org_id')
                .onRef('event.activity_id', '=', 'follow_ups.activity_id')
                .on('event.operation', '=', 'upsert_event')
        )
        .leftJoin('crm_records as what', (j) =>
            j.onRef('what.org_id', '=', 'activities.org_id').onRef('what.id', '=', 'activities.what_id')
        )
        .selectAll('follow_ups')
        .select([
            'activities.subject',
            'activities.starts_at',
            'activities.ends_at',
            'activities.what_id',
            'profiles.notifications',
            'event.record_id as event_id',
            sql<string | null>`what.data->>'Name'`.as('what_name')
        ])
        .where('follow_ups.org_id', '=', orgId);
}

/** The describe of every field the rows' questions and categories need (one describe per object). */
async function describe(
    catalog: FieldCatalog,
    ref: string
): Promise<import('../domain/field-references').FieldInfo | null> {
    const [object = '', name = ''] = ref.split('.');
    const fields = await catalog.fields(object);
    return fields?.get(name.toLowerCase()) ?? null;
}

async function toView(row: Joined, catalog: FieldCatalog): Promise<FollowUpView> {
    const n = row.notifications as NotificationSettings;
    const categoryInfo = n.meetingCategoryField ? await describe(catalog, n.meetingCategoryField) : null;
    const questions: QuestionView[] = [];
    for (const q of n.followUpQuestions) questions.push(questionView(q, await describe(catalog, q.field)));
    return {
        id: row.id,
        activityId: row.activity_id,
        status: row.status,
        meeting: {
            subject: row.subject,
            startsAt: new Date(row.starts_at).toISOString(),
            endsAt: row.ends_at ? new Date(row.ends_at).toISOString() : null,
            whatId: row.what_id,
            whatName: row.what_name,
            eventId: row.event_id
        },
        categoryField: n.meetingCategoryField,
        categories: categoryInfo?.picklistValues ?? [],
        category: row.category,
        questions,
        answers: row.answers,
        createdAt: new Date(row.created_at).toISOString(),
        answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null
    };
}

function catalogFor(deps: RepServiceDeps, orgId: string): FieldCatalog {
    return describeCatalog(() => deps.salesforce.connection(orgId));
}

/** GET /v1/follow-ups: the acting user's own follow-ups, newest meeting first. */
export async function listFollowUps(
    deps: RepServiceDeps,
    caller: RepCaller,
    filter: FollowUpFilter
): Promise<{ items: FollowUpView[]; openCount: number }> {
    const userId = me(caller);
    let q = baseQuery(deps, caller.orgId).where('follow_ups.user_id', '=', userId);
    if (filter.status) q = q.where('follow_ups.status', '=', filter.status);
    if (filter.activityId) q = q.where('follow_ups.activity_id', '=', filter.activityId);
    if (filter.eventId) {
        const ids = [filter.eventId, filter.eventId.slice(0, 15)];
        q = q.where(sql<boolean>`left(event.record_id, 15) = left(${ids[0]}, 15)`);
    }
    const rows = (await q
        .orderBy('activities.starts_at', 'desc')
        .orderBy('follow_ups.id')
        .limit(filter.limit)
        .execute()) as Joined[];
    const open = await deps.store.db
        .selectFrom('follow_ups')
        .select(sql<number>`count(*)`.as('n'))
        .where('org_id', '=', caller.orgId)
        .where('user_id', '=', userId)
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow();
    const catalog = catalogFor(deps, caller.orgId);
    const items: FollowUpView[] = [];
    for (const row of rows) items.push(await toView(row, catalog));
    return { items, openCount: Number(open.n) };
}

async function ownFollowUp(deps: RepServiceDeps, caller: RepCaller, id: string): Promise<Joined> {
    const userId = me(caller);
    const row = (await baseQuery(deps, caller.orgId)
        .where('follow_ups.id', '=', id)
        .where('follow_ups.user_id', '=', userId)
        .executeTakeFirst()) as Joined | undefined;
    // Someone else's follow-up is not found: the caller learns nothing of it.
    if (!row) throw notFound('Follow-up', id);
    return row;
}

export async function getFollowUp(deps: RepServiceDeps, caller: RepCaller, id: string): Promise<FollowUpView> {
    return toView(await ownFollowUp(deps, caller, id), catalogFor(deps, caller.orgId));
}

export interface AnswersInput {
    category: string;
    answers: { questionId: string; value?: unknown }[];
}

/**
 * POST /v1/follow-ups/:id/answers: validate the category and every answer against the org's
 * describe (400 naming the question; nothing stored), store them, and write the category and
 * answers to the meeting's Event (`write_answers`).
 */
export async function answerFollowUp(
    deps: RepServiceDeps,
    writeBack: WriteBack,
    caller: RepCaller,
    id: string,
    input: AnswersInput
): Promise<FollowUpView & { sync: SyncView }> {
    const row = await ownFollowUp(deps, caller, id);
    const catalog = catalogFor(deps, caller.orgId);
    const view = await toView(row, catalog);
    const problems: { path: string; message: string }[] = [];
    if (view.categoryField && view.categories.length > 0 && !view.categories.includes(input.category))
        problems.push({
            path: 'category',
            message: `${input.category} is not a meeting category (${view.categories.join(', ')})`
        });
    const asked = view.questions.filter((q) => q.category === input.category);
    const byId = new Map(asked.map((q) => [q.id, q]));
    const seen = new Set<string>();
    const fields: Record<string, unknown> = {};
    if (view.categoryField) fields[view.categoryField.split('.')[1] ?? ''] = input.category;
    input.answers.forEach((a, i) => {
        const q = byId.get(a.questionId);
        if (!q) {
            problems.push({
                path: `answers.${i}.questionId`,
                message: `${a.questionId} is not a question of the category ${input.category}`
            });
            return;
        }
        if (seen.has(q.id)) {
            problems.push({ path: `answers.${i}.questionId`, message: `"${q.text}" is answered twice` });
            return;
        }
        seen.add(q.id);
        const problem = answerProblem(q, a.value);
        if (problem) problems.push({ path: `answers.${i}.value`, message: `"${q.text}" (${q.label}): ${problem}` });
        else fields[q.field.split('.')[1] ?? ''] = salesforceValue(q, a.value);
    });
    for (const q of asked)
        if (q.required && !seen.has(q.id))
            problems.push({ path: 'answers', message: `"${q.text}" (${q.label}) is required` });
    if (problems.length > 0) throw invalidMany(problems);

    const answers = input.answers
        .filter((a) => !isBlank(a.value))
        .map((a) => ({ questionId: a.questionId, value: a.value ?? null }));
    await deps.store.db.transaction().execute(async (trx) => {
        await trx
            .updateTable('follow_ups')
            .set({
                status: 'answered',
                category: input.category,
                answers: json(answers),
                fields: json(fields),
                answered_at: sql`now()`,
                updated_at: sql`now()`
            })
            .where('org_id', '=', caller.orgId)
            .where('id', '=', id)
            .execute();
        await recordAudit(trx, {
            orgId: caller.orgId,
            actor: caller.actor,
            entity: 'follow_up',
            entityId: id,
            action: 'update',
            before: { status: row.status, category: row.category, answers: row.answers },
            after: { status: 'answered', category: input.category, answers }
        });
    });
    // The answers are kept whatever Salesforce says; `sync` tells whether they reached the Event.
    const outcome = await writeBack.answersChanged(caller.orgId, row.activity_id);
    return {
        ...(await getFollowUp(deps, caller, id)),
        sync: { state: outcome.state, salesforceId: outcome.salesforceId, reason: outcome.reason }
    };
}
