import { LightningElement } from 'lwc';
import Toast from 'lightning/toast';
import { get, post } from 'c/backstoryApi';
import { LABELS, format } from 'c/operationsLabels';

const AUDIT_PAGE = 20;
const HEALTH = {
    ok: { label: LABELS.HEALTH_OK, cls: 'slds-badge slds-theme_success', ring: 'base-autocomplete' },
    warning: { label: LABELS.HEALTH_WARNING, cls: 'slds-badge slds-theme_warning', ring: 'warning' },
    error: { label: LABELS.HEALTH_ERROR, cls: 'slds-badge slds-theme_error', ring: 'expired' },
    idle: { label: LABELS.HEALTH_IDLE, cls: 'slds-badge', ring: 'base' }
};
const OBJECT_STATE = {
    pending: LABELS.STATE_PENDING,
    ok: LABELS.STATE_OK,
    blocked: LABELS.STATE_BLOCKED,
    error: LABELS.STATE_ERROR
};
const ENTITIES = [
    ['profile', LABELS.ENTITY_PROFILE],
    ['rule', LABELS.ENTITY_RULE],
    ['user', LABELS.ENTITY_USER],
    ['team', LABELS.ENTITY_TEAM],
    ['org', LABELS.ENTITY_ORG],
    ['activity', LABELS.ENTITY_ACTIVITY],
    ['follow_up', LABELS.ENTITY_FOLLOW_UP]
];
const ACTIONS = { create: LABELS.ACTION_CREATE, update: LABELS.ACTION_UPDATE, delete: LABELS.ACTION_DELETE };
const OPERATIONS = {
    upsert_event: 'Event',
    upsert_task: 'Task',
    create_contact: 'Contact',
    create_contact_role: 'Contact role',
    update_aggregates: 'Aggregates',
    write_answers: 'Follow-up answers'
};
const PARKED_COLUMNS = [
    { label: LABELS.COL_OPERATION, fieldName: 'operationText', initialWidth: 150 },
    { label: LABELS.COL_CODE, fieldName: 'code', wrapText: true, initialWidth: 190 },
    { label: LABELS.COL_REASON, fieldName: 'reason', wrapText: true },
    { label: LABELS.COL_REMEDY, fieldName: 'remedy', wrapText: true },
    { label: LABELS.COL_PARKED_AT, fieldName: 'parkedText', initialWidth: 170 },
    {
        type: 'button',
        initialWidth: 100,
        typeAttributes: { label: LABELS.RETRY, name: 'retry', variant: 'neutral', disabled: { fieldName: 'retrying' } }
    }
];

const when = (iso) => (iso ? new Date(iso).toLocaleString() : LABELS.NEVER);
const health = (h) => HEALTH[h] ?? HEALTH.idle;
const pretty = (value) => (value === null || value === undefined ? LABELS.AUDIT_NONE : JSON.stringify(value, null, 2));

/** Top-level keys whose values differ between two snapshots (all keys of a create or delete). */
function changedKeys(before, after) {
    const b = before && typeof before === 'object' ? before : {};
    const a = after && typeof after === 'object' ? after : {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
}

/**
 * Operations (OPS-1): the health of everything that runs by itself, from GET /v1/ops/status —
 * the connection, the CRM pull per object with the remedy of each unreadable field, the user
 * sync, the write-back queue with its parked items (Retry), the API budget as a gauge and the
 * notifications sent — and the audit log (GET /v1/audit) filtered by entity, before and after
 * side by side.
 */
export default class Operations extends LightningElement {
    labels = LABELS;
    parkedColumns = PARKED_COLUMNS;
    entityOptions = [{ label: LABELS.AUDIT_ALL, value: '' }, ...ENTITIES.map(([value, label]) => ({ label, value }))];

    status;
    loading = false;
    error;
    retrying = new Set();

    audit = [];
    auditCursor = null;
    auditLoading = false;
    auditError;
    auditSeq = 0;
    entity = '';
    entityId = '';

    connectedCallback() {
        this.refresh();
    }

    // ---- loading ----

    async refresh() {
        await Promise.all([this.loadStatus(), this.loadAudit()]);
    }

    async loadStatus() {
        this.loading = true;
        this.error = undefined;
        try {
            this.status = await get('/v1/ops/status');
        } catch (e) {
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    auditPath(cursor) {
        const q = [`limit=${AUDIT_PAGE}`];
        if (this.entity) q.push(`entity=${encodeURIComponent(this.entity)}`);
        if (this.entityId.trim()) q.push(`id=${encodeURIComponent(this.entityId.trim())}`);
        if (cursor) q.push(`cursor=${encodeURIComponent(cursor)}`);
        return `/v1/audit?${q.join('&')}`;
    }

    async loadAudit(more = false) {
        // Typing in the id filter starts a load per keystroke: only the latest one's answer counts.
        const seq = ++this.auditSeq;
        this.auditLoading = true;
        this.auditError = undefined;
        try {
            const page = await get(this.auditPath(more ? this.auditCursor : null));
            if (seq !== this.auditSeq) return;
            this.audit = more ? [...this.audit, ...page.items] : page.items;
            this.auditCursor = page.nextCursor;
        } catch (e) {
            if (seq === this.auditSeq) this.auditError = e;
        } finally {
            if (seq === this.auditSeq) this.auditLoading = false;
        }
    }

    // ---- handlers ----

    handleRefresh() {
        this.refresh();
    }

    handleRetryLoad() {
        this.loadStatus();
    }

    handleAuditRetry() {
        this.loadAudit();
    }

    handleEntity(event) {
        this.entity = event.detail.value;
        this.loadAudit();
    }

    handleEntityId(event) {
        this.entityId = event.detail.value ?? '';
        this.loadAudit();
    }

    handleAuditMore() {
        this.loadAudit(true);
    }

    async handleRowAction(event) {
        const { action, row } = event.detail;
        if (action.name !== 'retry') return;
        this.retrying = new Set([...this.retrying, row.id]);
        try {
            await post(`/v1/writeback/items/${encodeURIComponent(row.id)}/retry`);
            Toast.show({ label: LABELS.RETRIED, variant: 'success' }, this);
            await this.loadStatus();
        } catch (e) {
            this.error = e;
        } finally {
            const next = new Set(this.retrying);
            next.delete(row.id);
            this.retrying = next;
        }
    }

    // ---- view ----

    get hasStatus() {
        return !!this.status;
    }

    get updatedText() {
        return format(LABELS.UPDATED, when(this.status?.generatedAt));
    }

    get connection() {
        const c = this.status.connection;
        let text;
        if (c.status === 'connected') text = format(LABELS.CONN_CONNECTED, c.username ?? c.salesforceOrgId ?? '');
        else if (c.status === 'error') text = format(LABELS.CONN_ERROR, c.lastError ?? '');
        else text = LABELS.CONN_NOT_CONNECTED;
        return { ...health(c.health), text, detail: c.instanceUrl ?? '' };
    }

    get crm() {
        const p = this.status.crmPull;
        const upToDate = p.objects.filter((o) => o.state === 'ok').length;
        return {
            ...health(p.health),
            text: format(LABELS.CRM_SUMMARY, upToDate, p.objects.length),
            detail: format(LABELS.LAST_PULL, when(p.lastPullAt))
        };
    }

    get userSync() {
        const s = this.status.userSync;
        let text;
        if (s.mode === 'manual') text = LABELS.SYNC_MANUAL;
        else if (!s.lastRun) text = LABELS.SYNC_NO_RUN;
        else if (s.lastRun.status === 'error')
            text = format(LABELS.SYNC_FAILED, when(s.lastRun.startedAt), s.lastRun.error ?? '');
        else
            text = format(
                LABELS.SYNC_LAST,
                when(s.lastRun.finishedAt ?? s.lastRun.startedAt),
                s.lastRun.created,
                s.lastRun.updated,
                s.lastRun.suspended
            );
        return { ...health(s.health), text };
    }

    get writeback() {
        const w = this.status.writeback;
        return {
            ...health(w.health),
            text: format(LABELS.WB_COUNTS, w.pending, w.written, w.parked),
            waiting: w.waitingForBudget
        };
    }

    get budget() {
        const b = this.status.apiBudget;
        const known = b.allowance !== null && b.allowance !== undefined;
        const h = health(b.health);
        return {
            ...h,
            known,
            percent: b.percentUsed ?? 0,
            ringLabel: format(LABELS.BUDGET_RING, b.percentUsed ?? 0),
            text: known ? format(LABELS.BUDGET_USED, b.usedByBackstoryToday, b.allowance) : LABELS.BUDGET_UNKNOWN,
            detail: known ? format(LABELS.BUDGET_ORG, b.usedByOrg, b.dailyLimit, Math.round(b.share * 100)) : ''
        };
    }

    get notifications() {
        const n = this.status.notifications;
        return {
            ...health(n.health),
            text: format(LABELS.NOTIF_COUNTS, n.sent, n.failed, n.windowHours),
            detail: n.lastError ? format(LABELS.NOTIF_LAST_ERROR, n.lastError) : ''
        };
    }

    get objects() {
        return this.status.crmPull.objects.map((o) => ({
            ...o,
            stateText: OBJECT_STATE[o.state] ?? o.state,
            stateCls: `slds-badge ${o.state === 'ok' ? 'slds-theme_success' : o.state === 'pending' ? '' : 'slds-theme_error'}`,
            lastPullText: when(o.lastPullAt),
            hasMissing: o.missingFields.length > 0,
            missing: o.missingFields.map((f) => ({
                ...f,
                key: `${o.object}.${f.field}`,
                kind: f.required ? LABELS.REQUIRED : LABELS.RECOMMENDED
            }))
        }));
    }

    get parkedRows() {
        return this.status.writeback.parkedItems.map((i) => ({
            ...i,
            operationText: `${OPERATIONS[i.operation] ?? i.operation} (${i.sobject})`,
            parkedText: when(i.parkedAt),
            retrying: this.retrying.has(i.id)
        }));
    }

    get hasParked() {
        return this.status.writeback.parkedItems.length > 0;
    }

    get parkedMore() {
        const w = this.status.writeback;
        return w.parked > w.parkedItems.length ? format(LABELS.PARKED_MORE, w.parkedItems.length, w.parked) : '';
    }

    get auditRows() {
        return this.audit.map((e, index) => {
            const changed = e.action === 'update' ? changedKeys(e.before, e.after) : [];
            const entity = ENTITIES.find(([value]) => value === e.entity)?.[1] ?? e.entity;
            return {
                key: `${e.at}-${e.entityId}-${index}`,
                heading: format(
                    LABELS.AUDIT_BY,
                    ACTIONS[e.action] ?? e.action,
                    entity,
                    e.entityId,
                    e.actor,
                    when(e.at)
                ),
                changed: changed.length > 0 ? format(LABELS.AUDIT_CHANGED, changed.join(', ')) : '',
                before: pretty(e.before),
                after: pretty(e.after),
                beforeLabel: `${LABELS.AUDIT_BEFORE}: ${e.entity} ${e.entityId}`,
                afterLabel: `${LABELS.AUDIT_AFTER}: ${e.entity} ${e.entityId}`
            };
        });
    }

    get hasAudit() {
        return this.audit.length > 0;
    }

    get auditEmpty() {
        return !this.auditLoading && !this.auditError && this.audit.length === 0;
    }

    get hasMoreAudit() {
        return !!this.auditCursor;
    }
}
