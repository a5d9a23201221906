import { LightningElement } from 'lwc';
import Toast from 'lightning/toast';
import { get, post } from 'c/backstoryApi';
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
const STATUSES = ['pending', 'onboarding', 'permission_error', 'active', 'suspended'];
const STATUS_TEXT = {
    pending: 'Pending',
    onboarding: 'Onboarding',
    permission_error: 'Permission Errors',
    active: 'Active',
    suspended: 'Suspended'
};
const PAGE = 200;

/** Every page of a list (`items`, `nextCursor`). */
async function all(path) {
    const items = [];
    let cursor = null;
    do {
        const sep = path.includes('?') ? '&' : '?';
        // eslint-disable-next-line no-await-in-loop
        const page = await get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        items.push(...page.items);
        cursor = page.nextCursor;
    } while (cursor);
    return items;
}

/**
 * Profile assignment (CP-8, one of the design card's three Lightning surfaces): the users table
 * with search and filters by team, profile and status; select users (or a whole team) and
 * assign them a configuration profile. Hovering or focusing a profile name previews its
 * settings, as seed 000's tip says.
 */
export default class ProfileAssignment extends LightningElement {
    labels = LABELS;
    users = [];
    nextCursor = null;
    profiles = [];
    teams = [];
    loading = false;
    error;
    q = '';
    teamId = '';
    profileId = '';
    status = '';
    selected = new Set();
    previewKey;

    // modal: "users" (the selection) or "team"
    assigning;
    assignProfileId = '';
    assignTeamId = '';
    assignError;
    assignMessages = {};
    submitting = false;

    connectedCallback() {
        this.loadAll();
    }

    async loadAll() {
        this.loading = true;
        this.error = undefined;
        try {
            const [profiles, teams] = await Promise.all([all('/v1/profiles'), all('/v1/teams')]);
            this.profiles = profiles;
            this.teams = teams;
            await this.loadUsers();
        } catch (e) {
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    usersPath(cursor) {
        const params = [`limit=${PAGE}`];
        if (this.q.trim()) params.push(`q=${encodeURIComponent(this.q.trim())}`);
        if (this.teamId) params.push(`teamId=${encodeURIComponent(this.teamId)}`);
        if (this.profileId) params.push(`profileId=${encodeURIComponent(this.profileId)}`);
        if (this.status) params.push(`status=${encodeURIComponent(this.status)}`);
        if (cursor) params.push(`cursor=${encodeURIComponent(cursor)}`);
        return `/v1/users?${params.join('&')}`;
    }

    async loadUsers() {
        const page = await get(this.usersPath());
        this.users = page.items;
        this.nextCursor = page.nextCursor;
        // A selection only holds users still shown.
        const shown = new Set(this.users.map((u) => u.id));
        this.selected = new Set([...this.selected].filter((id) => shown.has(id)));
    }

    async refresh() {
        this.loading = true;
        this.error = undefined;
        try {
            await this.loadUsers();
        } catch (e) {
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    async handleMore() {
        this.loading = true;
        try {
            const page = await get(this.usersPath(this.nextCursor));
            this.users = [...this.users, ...page.items];
            this.nextCursor = page.nextCursor;
        } catch (e) {
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    // ----- filters

    get teamOptions() {
        return [{ value: '', label: LABELS.ANY }, ...this.teams.map((t) => ({ value: t.id, label: t.name }))];
    }
    get profileOptions() {
        return [{ value: '', label: LABELS.ANY }, ...this.profileChoices];
    }
    get profileChoices() {
        return this.profiles.map((p) => ({ value: p.id, label: p.name }));
    }
    get teamChoices() {
        return this.teams.map((t) => ({ value: t.id, label: `${t.name} (${t.memberCount})` }));
    }
    get statusOptions() {
        return [{ value: '', label: LABELS.ANY }, ...STATUSES.map((s) => ({ value: s, label: STATUS_TEXT[s] }))];
    }

    handleSearchInput(event) {
        this.q = event.detail.value ?? '';
    }

    /** Enter (or clearing the box) runs the search, as a list view's search does. */
    handleSearch() {
        this.refresh();
    }

    handleFilter(event) {
        this[event.target.dataset.filter] = event.detail.value;
        this.refresh();
    }

    // ----- table

    get rows() {
        const profileById = new Map(this.profiles.map((p) => [p.id, p]));
        const teamById = new Map(this.teams.map((t) => [t.id, t]));
        return this.users.map((u) => {
            const p = profileById.get(u.profileId);
            const key = u.id;
            return {
                id: u.id,
                name: `${u.firstName} ${u.lastName}`.trim(),
                email: u.email,
                team: teamById.get(u.teamId)?.name ?? '',
                profileName: p?.name ?? u.profileId,
                status: STATUS_TEXT[u.status] ?? u.status,
                checked: this.selected.has(u.id),
                selectLabel: `${LABELS.ASSIGN_SELECTED}: ${u.firstName} ${u.lastName}`,
                showPreview: this.previewKey === key,
                previewId: `preview-${key}`,
                preview: p ? this.previewOf(p) : []
            };
        });
    }

    previewOf(profile) {
        return TOGGLES.map((t) => ({
            key: t,
            label: LABELS[`T_${t.toUpperCase()}`],
            on: !!profile.activity?.[t],
            text: profile.activity?.[t] ? LABELS.TOGGLE_ON : LABELS.TOGGLE_OFF,
            icon: profile.activity?.[t] ? 'utility:check' : 'utility:close',
            variant: profile.activity?.[t] ? 'success' : ''
        }));
    }

    get hasUsers() {
        return this.users.length > 0;
    }
    get showEmpty() {
        return !this.loading && !this.error && !this.hasUsers;
    }
    get allChecked() {
        return this.hasUsers && this.users.every((u) => this.selected.has(u.id));
    }
    get selectedCount() {
        return this.selected.size;
    }
    get selectedText() {
        return format(LABELS.SELECTED, this.selected.size);
    }
    get noSelection() {
        return this.selected.size === 0;
    }
    get hasMore() {
        return !!this.nextCursor;
    }

    handleSelect(event) {
        const id = event.target.dataset.userId;
        const next = new Set(this.selected);
        if (event.target.checked) next.add(id);
        else next.delete(id);
        this.selected = next;
    }

    handleSelectAll(event) {
        this.selected = event.target.checked ? new Set(this.users.map((u) => u.id)) : new Set();
    }

    handlePreviewShow(event) {
        this.previewKey = event.currentTarget.dataset.userId;
    }

    handlePreviewHide() {
        this.previewKey = undefined;
    }

    handlePreviewKey(event) {
        if (event.key === 'Escape') this.previewKey = undefined;
    }

    // ----- assignment (CP-8)

    get assigningUsers() {
        return this.assigning === 'users';
    }
    get assigningTeam() {
        return this.assigning === 'team';
    }
    get assignTitle() {
        return this.assigningTeam ? LABELS.ASSIGN_TEAM_MODAL : format(LABELS.ASSIGN_MODAL, this.selected.size);
    }
    get assignProfileError() {
        return this.assignMessages.profileId ?? '';
    }
    get assignDisabled() {
        return this.submitting || !this.assignProfileId || (this.assigningTeam && !this.assignTeamId);
    }

    handleOpenAssign() {
        this.openAssign('users');
    }

    handleOpenTeam() {
        this.openAssign('team');
    }

    openAssign(kind) {
        this.assigning = kind;
        this.assignProfileId = '';
        this.assignTeamId = this.teamId || '';
        this.assignError = undefined;
        this.assignMessages = {};
    }

    handleAssignField(event) {
        this[event.target.dataset.field] = event.detail.value;
    }

    handleAssignCancel() {
        this.assigning = undefined;
    }

    async handleAssign() {
        this.submitting = true;
        this.assignError = undefined;
        this.assignMessages = {};
        try {
            const userIds = this.assigningTeam
                ? (await all(`/v1/users?teamId=${encodeURIComponent(this.assignTeamId)}`)).map((u) => u.id)
                : [...this.selected];
            const result = await post('/v1/users/profile-assignments', { userIds, profileId: this.assignProfileId });
            const profile = this.profiles.find((p) => p.id === this.assignProfileId);
            Toast.show(
                { label: format(LABELS.ASSIGN_DONE, result.updated, profile?.name ?? ''), variant: 'success' },
                this
            );
            this.assigning = undefined;
            this.selected = new Set();
            this.profiles = await all('/v1/profiles');
            await this.refresh();
        } catch (e) {
            this.assignError = e;
            this.assignMessages = fieldMessages(e);
        } finally {
            this.submitting = false;
        }
    }

    renderedCallback() {
        if (this.assigning && this.focused !== this.assigning) {
            this.focused = this.assigning;
            this.template.querySelector('[data-id="assign-profile"]')?.focus();
        } else if (!this.assigning) {
            this.focused = null;
        }
    }
}
