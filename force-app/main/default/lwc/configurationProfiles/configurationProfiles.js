import { LightningElement } from 'lwc';
import Toast from 'lightning/toast';
import { get, post, del } from 'c/backstoryApi';
import { fieldMessages } from 'c/errorUtils';
import { LABELS, format } from 'c/adminLabels';

const TOGGLES = [
    'intakeData',
    'transcriptIntake',
    'displayData',
    'pushData',
    'emailSync',
    'meetingSync',
    'contactCreation',
    'contactRoleCreation'
];

const ACTIONS = [
    { label: LABELS.PROFILE_EDIT, name: 'edit' },
    { label: LABELS.PROFILE_CLONE, name: 'clone' },
    { label: LABELS.PROFILE_DELETE, name: 'delete' }
];

const COLUMNS = [
    {
        label: LABELS.PROFILE_NAME,
        type: 'button',
        typeAttributes: { label: { fieldName: 'name' }, name: 'edit', variant: 'base' },
        wrapText: true
    },
    { label: LABELS.PROFILE_DEFAULT, fieldName: 'defaultText', initialWidth: 100 },
    { label: LABELS.PROFILE_USERS, fieldName: 'userCount', type: 'number', initialWidth: 90 },
    { label: LABELS.PROFILE_SETTINGS, fieldName: 'togglesText', wrapText: true },
    { type: 'action', typeAttributes: { rowActions: ACTIONS } }
];

/** The toggles at a glance: `3 of 8 on: Intake Data, Push Data, Email Sync`. */
function togglesText(activity) {
    const on = TOGGLES.filter((t) => activity?.[t]).map((t) => LABELS[`T_${t.toUpperCase()}`]);
    if (on.length === 0) return `0 / ${TOGGLES.length} ${LABELS.TOGGLE_ON}`;
    return `${on.length} / ${TOGGLES.length} ${LABELS.TOGGLE_ON}: ${on.join(', ')}`;
}

/**
 * Configuration Profiles (seed 000, CP-1..CP-10): the list with user counts, toggles at a glance
 * and the default badge; New and Clone ("User Settings From", copyFrom); Delete, refused with the
 * reason and the number of users to reassign; a profile opens in c-profile-editor.
 */
export default class ConfigurationProfiles extends LightningElement {
    labels = LABELS;
    columns = COLUMNS;
    profiles = [];
    loading = false;
    error;
    editingId;

    // New / Clone modal
    creating = false;
    createTitle = '';
    newName = '';
    copyFrom = '';
    createError;
    createMessages = {};
    submitting = false;

    // Delete modal
    deleting;
    deleteError;

    connectedCallback() {
        this.load();
    }

    async load() {
        this.loading = true;
        this.error = undefined;
        try {
            const r = await get('/v1/profiles?limit=500');
            this.profiles = r.items;
        } catch (e) {
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    get rows() {
        return this.profiles.map((p) => ({
            id: p.id,
            name: p.name,
            userCount: p.userCount,
            defaultText: p.isDefault ? LABELS.PROFILE_DEFAULT : '',
            togglesText: togglesText(p.activity)
        }));
    }

    get hasProfiles() {
        return this.profiles.length > 0;
    }
    get showEmpty() {
        return !this.loading && !this.error && !this.hasProfiles;
    }
    get editing() {
        return !!this.editingId;
    }

    // ----- list

    handleRowAction(event) {
        const action = event.detail.action.name;
        const profile = this.profiles.find((p) => p.id === event.detail.row.id);
        if (!profile) return;
        if (action === 'edit') this.editingId = profile.id;
        else if (action === 'clone') this.openCreate(profile);
        else if (action === 'delete') this.openDelete(profile);
    }

    handleEditorClose() {
        this.editingId = undefined;
        this.load();
    }

    handleEditorSaved(event) {
        const saved = event.detail.profile;
        this.profiles = this.profiles.map((p) => (p.id === saved.id ? saved : p));
    }

    // ----- New / Clone (CP-3)

    handleNew() {
        this.openCreate(null);
    }

    openCreate(source) {
        this.creating = true;
        this.createTitle = source ? format(LABELS.PROFILE_CLONE_TITLE, source.name) : LABELS.PROFILE_NEW_TITLE;
        this.newName = source ? format(LABELS.PROFILE_CLONE_NAME, source.name) : '';
        this.copyFrom = source ? source.id : '';
        this.createError = undefined;
        this.createMessages = {};
    }

    get copyOptions() {
        return [
            { value: '', label: LABELS.PROFILE_COPY_NONE },
            ...this.profiles.map((p) => ({ value: p.id, label: p.name }))
        ];
    }

    get nameError() {
        return this.createMessages.name ?? '';
    }

    get copyError() {
        return this.createMessages.copyFrom ?? '';
    }

    handleNameChange(event) {
        this.newName = event.detail.value;
    }

    handleCopyChange(event) {
        this.copyFrom = event.detail.value;
    }

    handleCreateCancel() {
        this.creating = false;
    }

    async handleCreate() {
        const body = { name: this.newName.trim() };
        if (this.copyFrom) body.copyFrom = this.copyFrom;
        this.submitting = true;
        this.createError = undefined;
        this.createMessages = {};
        try {
            const created = await post('/v1/profiles', body);
            this.creating = false;
            Toast.show({ label: format(LABELS.PROFILE_CREATED, created.name), variant: 'success' }, this);
            await this.load();
            this.editingId = created.id;
        } catch (e) {
            this.createError = e;
            this.createMessages = fieldMessages(e);
        } finally {
            this.submitting = false;
        }
    }

    // ----- Delete (CP-9, CP-10)

    openDelete(profile) {
        this.deleting = profile;
        this.deleteError = undefined;
    }

    get deleteBlockedReason() {
        const p = this.deleting;
        if (!p) return '';
        if (p.isDefault) return LABELS.PROFILE_DELETE_DEFAULT;
        if (p.userCount > 0) return format(LABELS.PROFILE_DELETE_BLOCKED, p.userCount, p.name);
        return '';
    }

    get deleteConfirmText() {
        return this.deleting ? format(LABELS.PROFILE_DELETE_CONFIRM, this.deleting.name) : '';
    }

    get canDelete() {
        return !!this.deleting && !this.deleteBlockedReason && !this.submitting;
    }

    get cannotDelete() {
        return !this.canDelete;
    }

    handleDeleteCancel() {
        this.deleting = undefined;
    }

    async handleDelete() {
        const profile = this.deleting;
        this.submitting = true;
        this.deleteError = undefined;
        try {
            await del(`/v1/profiles/${encodeURIComponent(profile.id)}`);
            this.deleting = undefined;
            Toast.show({ label: format(LABELS.PROFILE_DELETED, profile.name), variant: 'success' }, this);
            await this.load();
        } catch (e) {
            // 409: users were assigned since the list loaded, or a rule assigns it: the reason is the API's.
            this.deleteError = e;
        } finally {
            this.submitting = false;
        }
    }

    handleModalClose() {
        this.creating = false;
        this.deleting = undefined;
    }

    renderedCallback() {
        const modal = this.creating ? 'new-name' : this.deleting ? 'delete-cancel' : null;
        if (modal && this.focused !== modal) {
            this.focused = modal;
            this.template.querySelector(`[data-id="${modal}"]`)?.focus();
        } else if (!modal) {
            this.focused = null;
        }
    }
}
