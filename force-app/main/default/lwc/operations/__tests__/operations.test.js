import { createElement } from '@lwc/engine-dom';
import Operations from 'c/operations';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import Toast from 'lightning/toast';
import { settle } from 'test/jest-utils/flushPromises';
import { apiError, routeApi } from 'test/jest-utils/apiRoutes';

const OBJECT = (object, state = 'ok', missingFields = []) => ({
    object,
    state,
    lastPullAt: state === 'pending' ? null : '2026-12-01T10:00:00.000Z',
    pulled: 3,
    deleted: 0,
    records: state === 'pending' ? 0 : 12,
    error: null,
    missingFields
});
const PARKED = {
    id: 'wbi_1',
    activityId: 'act_1',
    operation: 'upsert_event',
    sobject: 'Event',
    recordId: null,
    attempts: 1,
    code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    reason: 'Meetings need a next step',
    remedy: 'Exempt the integration user from the validation rule, then retry the item.',
    parkedAt: '2026-12-01T10:05:00.000Z'
};
const STATUS = (over = {}) => ({
    generatedAt: '2026-12-01T10:10:00.000Z',
    connection: {
        health: 'ok',
        status: 'connected',
        method: 'password',
        username: 'integration@demo.backstory.local',
        salesforceOrgId: '00D000000000001',
        instanceUrl: 'https://demo.my.salesforce.com',
        connectedAt: '2026-12-01T09:00:00.000Z',
        lastError: null
    },
    crmPull: {
        health: 'error',
        lastPullAt: '2026-12-01T10:00:00.000Z',
        objects: [
            OBJECT('Account'),
            OBJECT('Opportunity', 'blocked', [
                { field: 'StageName', required: true, remedy: 'Tick Read Access for StageName.' }
            ])
        ]
    },
    userSync: {
        health: 'ok',
        mode: 'automatic',
        intervalMinutes: 30,
        lastRun: {
            trigger: 'schedule',
            status: 'ok',
            startedAt: '2026-12-01T10:00:00.000Z',
            finishedAt: '2026-12-01T10:00:02.000Z',
            usersFetched: 12,
            created: 2,
            updated: 1,
            suspended: 0,
            movedToTopLevel: 0,
            error: null
        }
    },
    writeback: {
        health: 'error',
        pending: 3,
        written: 40,
        parked: 1,
        skipped: 0,
        waitingForBudget: false,
        lastFlushAt: '2026-12-01T10:05:00.000Z',
        parkedItems: [PARKED]
    },
    apiBudget: {
        health: 'ok',
        dailyLimit: 15000,
        remaining: 14000,
        usedByOrg: 1000,
        share: 0.5,
        allowance: 7060,
        usedByBackstoryToday: 120,
        percentUsed: 1.7,
        waiting: false
    },
    notifications: {
        health: 'warning',
        windowHours: 24,
        sent: 5,
        failed: 1,
        skipped: 0,
        sending: 0,
        lastSentAt: '2026-12-01T10:00:00.000Z',
        lastError: 'custom notification type not found'
    },
    ...over
});
const EMPTY_STATUS = STATUS({
    connection: {
        health: 'warning',
        status: 'not_connected',
        method: null,
        username: null,
        salesforceOrgId: null,
        instanceUrl: null,
        connectedAt: null,
        lastError: null
    },
    crmPull: { health: 'warning', lastPullAt: null, objects: [OBJECT('Account', 'pending')] },
    userSync: { health: 'idle', mode: 'manual', intervalMinutes: 30, lastRun: null },
    writeback: {
        health: 'ok',
        pending: 0,
        written: 0,
        parked: 0,
        skipped: 0,
        waitingForBudget: false,
        lastFlushAt: null,
        parkedItems: []
    },
    apiBudget: {
        health: 'idle',
        dailyLimit: null,
        remaining: null,
        usedByOrg: null,
        share: 0.5,
        allowance: null,
        usedByBackstoryToday: 0,
        percentUsed: null,
        waiting: false
    },
    notifications: {
        health: 'idle',
        windowHours: 24,
        sent: 0,
        failed: 0,
        skipped: 0,
        sending: 0,
        lastSentAt: null,
        lastError: null
    }
});
const AUDIT = {
    items: [
        {
            at: '2026-12-01T10:00:00.000Z',
            actor: 'user:ada@demo.example',
            entity: 'profile',
            entityId: 'prf_1',
            action: 'update',
            before: { name: 'Sales', matching: { minScore: 50 } },
            after: { name: 'Sales', matching: { minScore: 70 } }
        },
        {
            at: '2026-12-01T09:00:00.000Z',
            actor: 'api-key:key_1',
            entity: 'team',
            entityId: 'team_1',
            action: 'create',
            before: null,
            after: { name: 'East' }
        }
    ],
    nextCursor: 'c2'
};

function mount() {
    const element = createElement('c-operations', { is: Operations });
    document.body.appendChild(element);
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const tile = (element, name) => $(element, `tile-${name}`);
const text = (el, id) => el.querySelector(`[data-id="${id}"]`).textContent.trim();

describe('c-operations', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('OPS-1 shows a spinner over the page while the status loads', async () => {
        send.mockReturnValue(new Promise(() => {}));
        const element = mount();
        await Promise.resolve();
        expect($(element, 'spinner')).not.toBeNull();
        expect($(element, 'tiles')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('OPS-1 shows each area with its health, the budget gauge, the blocked object with its remedy and the parked item', async () => {
        routeApi(send, { 'GET /v1/ops/status': STATUS(), 'GET /v1/audit': AUDIT });
        const element = mount();
        await settle();
        expect($(element, 'spinner')).toBeNull();
        expect(text(tile(element, 'connection'), 'health')).toBe('c.Backstory_Ops_Health_Ok');
        expect(text(tile(element, 'crm'), 'health')).toBe('c.Backstory_Ops_Health_Error');
        expect(text(tile(element, 'sync'), 'health')).toBe('c.Backstory_Ops_Health_Ok');
        expect(text(tile(element, 'writeback'), 'health')).toBe('c.Backstory_Ops_Health_Error');
        expect(text(tile(element, 'notifications'), 'health')).toBe('c.Backstory_Ops_Health_Warning');
        const gauge = tile(element, 'budget').querySelector('[data-id="gauge"]');
        expect(gauge.value).toBe(1.7);
        expect(gauge.variant).toBe('base-autocomplete');
        expect(text(tile(element, 'budget'), 'percent')).toContain('1.7%');

        const opp = element.shadowRoot.querySelector('[data-object="Opportunity"]');
        expect(opp.textContent).toContain('c.Backstory_Ops_State_Blocked');
        expect(opp.querySelector('[data-id="missing"]').textContent).toContain('Tick Read Access for StageName.');

        const table = $(element, 'parked-table');
        expect(table.data).toEqual([
            expect.objectContaining({
                id: 'wbi_1',
                code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
                reason: 'Meetings need a next step',
                remedy: PARKED.remedy,
                operationText: 'Event (Event)'
            })
        ]);
        expect(table.columns.map((c) => c.fieldName ?? c.type)).toEqual([
            'operationText',
            'code',
            'reason',
            'remedy',
            'parkedText',
            'button'
        ]);
        expect($(element, 'parked-empty')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('OPS-1 Retry re-queues the parked item, says so, and reloads the status without it', async () => {
        let parked = [PARKED];
        const calls = routeApi(send, {
            'GET /v1/ops/status': () =>
                STATUS({
                    writeback: { ...STATUS().writeback, parked: parked.length, parkedItems: parked }
                }),
            'GET /v1/audit': AUDIT,
            'POST /v1/writeback/items/wbi_1/retry': () => {
                parked = [];
                return { id: 'wbi_1', state: 'pending' };
            }
        });
        const element = mount();
        await settle();
        $(element, 'parked-table').dispatchEvent(
            new CustomEvent('rowaction', { detail: { action: { name: 'retry' }, row: { id: 'wbi_1' } } })
        );
        await settle();
        expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
            '/v1/writeback/items/wbi_1/retry'
        ]);
        expect(Toast.show).toHaveBeenCalledWith(
            expect.objectContaining({ label: 'c.Backstory_Ops_Retried', variant: 'success' }),
            expect.anything()
        );
        expect($(element, 'parked-table')).toBeNull();
        expect($(element, 'parked-empty')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('OPS-1 a failed Retry shows the error in the admin panel', async () => {
        routeApi(send, {
            'GET /v1/ops/status': STATUS(),
            'GET /v1/audit': AUDIT,
            'POST /v1/writeback/items/wbi_1/retry': apiError(
                409,
                'conflict',
                'Write-back item wbi_1 is not parked: only parked items are retried'
            )
        });
        const element = mount();
        await settle();
        $(element, 'parked-table').dispatchEvent(
            new CustomEvent('rowaction', { detail: { action: { name: 'retry' }, row: { id: 'wbi_1' } } })
        );
        await settle();
        expect($(element, 'error').error).toMatchObject({ code: 'conflict', status: 409 });
        await expect(element).toBeAccessible();
    });

    it('OPS-1 the audit log shows before and after side by side, names what changed, filters by entity and pages', async () => {
        const calls = routeApi(send, {
            'GET /v1/ops/status': STATUS(),
            'GET /v1/audit': (_, path) => {
                if (path.includes('cursor=c2')) return { items: [AUDIT.items[1]], nextCursor: null };
                return AUDIT;
            }
        });
        const element = mount();
        await settle();
        const events = $$(element, 'audit-event');
        expect(events).toHaveLength(2);
        expect(text(events[0], 'audit-changed')).toBe('c.Backstory_Ops_Audit_Changed');
        expect(JSON.parse(text(events[0], 'audit-before'))).toEqual(AUDIT.items[0].before);
        expect(JSON.parse(text(events[0], 'audit-after'))).toEqual(AUDIT.items[0].after);
        expect(text(events[1], 'audit-before')).toBe('c.Backstory_Ops_Audit_None');

        $(element, 'audit-more').click();
        await settle();
        expect(calls.at(-1).path).toBe('/v1/audit?limit=20&cursor=c2');
        expect($$(element, 'audit-event')).toHaveLength(3);
        expect($(element, 'audit-more')).toBeNull();

        $(element, 'audit-entity').dispatchEvent(new CustomEvent('change', { detail: { value: 'profile' } }));
        await settle();
        expect(calls.at(-1).path).toBe('/v1/audit?limit=20&entity=profile');
        $(element, 'audit-id').dispatchEvent(new CustomEvent('change', { detail: { value: ' prf_1 ' } }));
        await settle();
        expect(calls.at(-1).path).toBe('/v1/audit?limit=20&entity=profile&id=prf_1');
        await expect(element).toBeAccessible();
    });

    it('OPS-1 an org where nothing ran yet: not connected, no gauge, no parked items, an empty audit log', async () => {
        routeApi(send, { 'GET /v1/ops/status': EMPTY_STATUS, 'GET /v1/audit': { items: [], nextCursor: null } });
        const element = mount();
        await settle();
        expect(text(tile(element, 'connection'), 'text')).toBe('c.Backstory_Ops_Conn_Not_Connected');
        expect(text(tile(element, 'sync'), 'text')).toBe('c.Backstory_Ops_Sync_Manual');
        expect(text(tile(element, 'budget'), 'text')).toBe('c.Backstory_Ops_Budget_Unknown');
        expect(tile(element, 'budget').querySelector('[data-id="gauge"]')).toBeNull();
        expect($(element, 'parked-empty')).not.toBeNull();
        expect($(element, 'audit-empty')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('OPS-1 shows the error with Try again when the status cannot be read, and loads on Try again', async () => {
        let fail = true;
        routeApi(send, {
            'GET /v1/ops/status': () => {
                if (fail) return apiError(403, 'forbidden', 'Only Backstory admins see the operations page');
                return STATUS();
            },
            'GET /v1/audit': AUDIT
        });
        const element = mount();
        await settle();
        expect($(element, 'error').error).toMatchObject({ code: 'forbidden' });
        expect($(element, 'tiles')).toBeNull();
        await expect(element).toBeAccessible();
        fail = false;
        $(element, 'error').dispatchEvent(new CustomEvent('retry'));
        await settle();
        expect($(element, 'error')).toBeNull();
        expect($(element, 'tiles')).not.toBeNull();
    });

    it('OPS-1 the audit log has its own error with Try again', async () => {
        routeApi(send, {
            'GET /v1/ops/status': STATUS(),
            'GET /v1/audit': apiError(400, 'validation_failed', 'Invalid query', [
                { path: 'entity', message: 'Invalid option' }
            ])
        });
        const element = mount();
        await settle();
        expect($(element, 'audit-error').error).toMatchObject({ code: 'validation_failed' });
        expect($(element, 'tiles')).not.toBeNull();
        await expect(element).toBeAccessible();
    });
});
