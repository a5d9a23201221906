import { LightningElement, api } from 'lwc';
import Toast from 'lightning/toast';
import { get, put } from 'c/backstoryApi';
import { fieldMessages } from 'c/errorUtils';
import { LABELS, format } from 'c/repLabels';

const SYNC = {
    written: { label: LABELS.syncWritten, cls: 'slds-badge slds-theme_success' },
    pending: { label: LABELS.syncPending, cls: 'slds-badge slds-theme_warning' },
    parked: { label: LABELS.syncParked, cls: 'slds-badge slds-theme_error' },
    skipped: { label: LABELS.syncSkipped, cls: 'slds-badge' },
    not_synced: { label: LABELS.syncNotSynced, cls: 'slds-badge' }
};
const WHO = new Set(['Contact', 'Lead']);

/**
 * A record's Backstory activity (MATCH-11) on Account, Contact, Lead and Opportunity pages:
 * who and what, sync state, "Why this match" from the stored explanation (MATCH-5), and Edit
 * Match (MATCH-10) with the ranked candidates and a search of the CRM replica.
 */
export default class ActivityPanel extends LightningElement {
    @api recordId;
    @api objectApiName;

    labels = LABELS;
    loading = true;
    error;
    activities = [];
    expandedId;
    editing;
    draft = { who: null, what: null };
    searchTerm = '';
    searchResults;
    searching = false;
    saving = false;
    editError;
    editFieldErrors = {};

    connectedCallback() {
        this.load();
    }

    async load() {
        this.loading = true;
        this.error = undefined;
        try {
            const result = await get(`/v1/activities?recordId=${encodeURIComponent(this.recordId)}&limit=50`);
            this.activities = result.items;
        } catch (e) {
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    get title() {
        return `${LABELS.activityTitle} (${this.activities.length})`;
    }

    get isEmpty() {
        return !this.loading && !this.error && this.activities.length === 0;
    }

    get hasItems() {
        return this.activities.length > 0;
    }

    get items() {
        return this.activities.map((a) => {
            const sync = SYNC[a.sync.state] ?? SYNC.not_synced;
            const expanded = a.id === this.expandedId;
            return {
                id: a.id,
                subject: a.subject,
                startsAt: a.startsAt,
                ownerName: a.ownerName,
                icon: a.type === 'meeting' ? 'standard:event' : 'standard:email',
                typeLabel: a.type === 'meeting' ? 'Meeting' : 'Email',
                whoName: a.who ? (a.who.name ?? a.who.recordId) : LABELS.none,
                whatName: a.what ? (a.what.name ?? a.what.recordId) : LABELS.none,
                syncLabel: sync.label,
                syncClass: sync.cls,
                syncReason: a.sync.reason,
                override: a.match?.override === true,
                canEdit: a.canEditMatch,
                expanded,
                whyId: `why-${a.id}`,
                whyVariant: expanded ? 'brand' : 'neutral',
                candidates: expanded ? this.explain(a) : []
            };
        });
    }

    explain(activity) {
        const candidates = [...(activity.match?.candidates ?? [])].sort(
            (x, y) => (x.rank ?? 1e9) - (y.rank ?? 1e9) || y.score - x.score
        );
        return candidates.map((c) => ({
            key: c.recordId,
            name: c.name,
            type: c.type,
            score: c.score,
            rank: c.rank ?? '–',
            eligible: c.eligible,
            eligibilityReason: c.eligibilityReason,
            rankingReason: c.rankingReason,
            picked: c.recordId === activity.who?.recordId || c.recordId === activity.what?.recordId,
            signals: c.signals.map((s, i) => ({
                key: `${c.recordId}-${i}`,
                text: `${s.detail || s.name}: ${format(LABELS.points, s.points)}`
            }))
        }));
    }

    handleWhy(event) {
        const id = event.currentTarget.dataset.activity;
        this.expandedId = this.expandedId === id ? undefined : id;
    }

    // ---------------------------------------------------------------- Edit Match (MATCH-10)

    get editTitle() {
        return this.editing ? `${LABELS.editMatch}: ${this.editing.subject}` : LABELS.editMatch;
    }

    candidateOptions(kind) {
        const list = (this.editing?.match?.candidates ?? [])
            .filter((c) => (kind === 'who' ? WHO.has(c.type) : !WHO.has(c.type)))
            .sort((x, y) => (x.rank ?? 1e9) - (y.rank ?? 1e9) || y.score - x.score);
        const options = list.map((c) => ({ label: `${c.name} (${c.type}, ${c.score})`, value: c.recordId }));
        const current = this.draft[kind];
        if (current && !options.some((o) => o.value === current.recordId))
            options.unshift({ label: `${current.name} (${current.type})`, value: current.recordId });
        return [{ label: LABELS.none, value: '' }, ...options];
    }

    get whoOptions() {
        return this.candidateOptions('who');
    }

    get whatOptions() {
        return this.candidateOptions('what');
    }

    get draftWho() {
        return this.draft.who?.recordId ?? '';
    }

    get draftWhat() {
        return this.draft.what?.recordId ?? '';
    }

    get whatDisabled() {
        return this.draft.who?.type === 'Lead';
    }

    get whoError() {
        return this.editFieldErrors.whoId;
    }

    get whatError() {
        return this.editFieldErrors.whatId;
    }

    get hasResults() {
        return (this.searchResults?.length ?? 0) > 0;
    }

    get noResults() {
        return this.searchResults !== undefined && this.searchResults.length === 0;
    }

    get results() {
        return (this.searchResults ?? []).map((r) => ({
            ...r,
            isWho: WHO.has(r.type),
            useLabel: WHO.has(r.type) ? LABELS.useAsName : LABELS.useAsRelated,
            useTitle: `${WHO.has(r.type) ? LABELS.useAsName : LABELS.useAsRelated}: ${r.name}`
        }));
    }

    handleEdit(event) {
        const a = this.activities.find((x) => x.id === event.currentTarget.dataset.activity);
        if (!a) return;
        this.editing = a;
        this.draft = {
            who: a.who ? { recordId: a.who.recordId, type: a.who.type, name: a.who.name ?? a.who.recordId } : null,
            what: a.what ? { recordId: a.what.recordId, type: a.what.type, name: a.what.name ?? a.what.recordId } : null
        };
        this.searchTerm = '';
        this.searchResults = undefined;
        this.editError = undefined;
        this.editFieldErrors = {};
        this.returnFocusTo = a.id;
        // Focus moves into the dialog when it opens.
        Promise.resolve().then(() => this.template.querySelector('[data-id="dialog"]')?.focusHeading());
    }

    pickFromCandidates(kind, recordId) {
        if (!recordId) return null;
        const c = (this.editing?.match?.candidates ?? []).find((x) => x.recordId === recordId);
        if (c) return { recordId, type: c.type, name: c.name };
        return this.draft[kind]?.recordId === recordId ? this.draft[kind] : null;
    }

    handleWhoChange(event) {
        const who = this.pickFromCandidates('who', event.detail.value);
        this.draft = { who, what: who?.type === 'Lead' ? null : this.draft.what };
    }

    handleWhatChange(event) {
        this.draft = { ...this.draft, what: this.pickFromCandidates('what', event.detail.value) };
    }

    handleSearchInput(event) {
        this.searchTerm = event.detail.value ?? event.target.value ?? '';
    }

    handleSearchKey(event) {
        if (event.key === 'Enter') {
            event.preventDefault();
            this.handleSearch();
        }
    }

    async handleSearch() {
        const term = (this.searchTerm ?? '').trim();
        if (term.length < 2) return;
        this.searching = true;
        try {
            const result = await get(`/v1/crm/records?q=${encodeURIComponent(term)}&limit=10`);
            this.searchResults = result.items;
        } catch (e) {
            this.editError = e;
        } finally {
            this.searching = false;
        }
    }

    handleUse(event) {
        const r = (this.searchResults ?? []).find((x) => x.recordId === event.currentTarget.dataset.record);
        if (!r) return;
        const pick = { recordId: r.recordId, type: r.type, name: r.name };
        this.draft = WHO.has(r.type)
            ? { who: pick, what: r.type === 'Lead' ? null : this.draft.what }
            : { ...this.draft, what: pick };
    }

    handleCancel() {
        this.closeDialog();
    }

    closeDialog() {
        const id = this.returnFocusTo;
        this.editing = undefined;
        Promise.resolve().then(() => this.template.querySelector(`[data-id="edit"][data-activity="${id}"]`)?.focus());
    }

    async handleSave() {
        if (!this.editing) return;
        this.saving = true;
        this.editError = undefined;
        this.editFieldErrors = {};
        try {
            const updated = await put(`/v1/activities/${encodeURIComponent(this.editing.id)}/match`, {
                whoId: this.draft.who?.recordId ?? null,
                whatId: this.draft.what?.recordId ?? null
            });
            Toast.show({ label: LABELS.matchSaved, message: updated.subject, variant: 'success' }, this);
            this.closeDialog();
            await this.load();
        } catch (e) {
            this.editError = e;
            this.editFieldErrors = fieldMessages(e);
        } finally {
            this.saving = false;
        }
    }

    handleRetry() {
        this.load();
    }
}
