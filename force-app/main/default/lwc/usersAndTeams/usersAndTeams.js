import { LightningElement } from 'lwc';
import Toast from 'lightning/toast';
import { get, post, put, patch, del, getText } from 'c/backstoryApi';
import { fieldMessages } from 'c/errorUtils';
import { LABELS, format } from './labels';

const PAGE = 50;
const STATUS_TILES = [
    { key: 'pending', status: 'pending', label: LABELS.PENDING },
    { key: 'onboarding', status: 'onboarding', label: LABELS.ONBOARDING },
    { key: 'permissionErrors', status: 'permission_error', label: LABELS.PERMISSION_ERRORS },
    { key: 'active', status: 'active', label: LABELS.ACTIVE },
    { key: 'suspended', status: 'suspended', label: LABELS.SUSPENDED },
    { key: 'total', status: '', label: LABELS.TOTAL }
];
const STATUS_TEXT = {
    pending: LABELS.PENDING,
    onboarding: LABELS.ONBOARDING,
    permission_error: LABELS.PERMISSION_ERROR,
    active: LABELS.ACTIVE,
    suspended: LABELS.SUSPENDED
};
const ROLE_OPTIONS = [
    { label: 'Admin', value: 'admin' },
    { label: 'Manager', value: 'manager' },
    { label: 'Member', value: 'member' },
    { label: 'Data', value: 'data' }
];
const VISIBILITY_OPTIONS = [
    { label: 'Full', value: 'full' },
    { label: 'Team', value: 'team' },
    { label: 'Individual', value: 'individual' }
];
const COLUMNS = [
    { label: LABELS.NAME, fieldName: 'name', sortable: true },
    { label: LABELS.EMAIL, fieldName: 'email', sortable: true },
    { label: LABELS.ROLE, fieldName: 'roleText', sortable: true },
    { label: LABELS.TEAM, fieldName: 'teamName', sortable: true },
    { label: LABELS.PROFILE, fieldName: 'profileName', sortable: true },
    { label: LABELS.STATUS, fieldName: 'statusText', sortable: true }
];
/** UT-8: in Automatic mode these come from Salesforce. */
const SALESFORCE_OWNED = ['firstName', 'lastName', 'jobTitle', 'teamId'];

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

/** Teams as lightning-tree items, children under their parent, by name. */
function teamTree(teams, parentId = null) {
    return teams
        .filter((t) => (t.parentId ?? null) === parentId && t.kind !== 'custom')
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((t) => ({
            label: `${t.name} (${t.memberCount})`,
            name: t.id,
            expanded: true,
            items: teamTree(teams, t.id)
        }));
}

/** Roles as indented checkbox rows (the tree flattened depth first). */
function flattenRoles(nodes, depth = 0, out = []) {
    for (const node of nodes ?? []) {
        out.push({ id: node.id, name: node.name, depth, style: `padding-left: ${depth * 1.25}rem` });
        flattenRoles(node.children, depth + 1, out);
    }
    return out;
}

/**
 * Users and Teams (seed 001, UT-1..15): the mode and its switch, status tiles, the users table
 * with search, filters and paging, add / edit / suspend / reactivate / delete, the team tree,
 * CSV import (checked before anything is applied) and export, the one-time role import and
 * Sync now in Automatic mode.
 */
export default class UsersAndTeams extends LightningElement {
    labels = LABELS;
    columns = [
        ...COLUMNS,
        { type: 'action', typeAttributes: { rowActions: (row, done) => done(this.rowActionsFor(row)) } }
    ];
    roleOptions = ROLE_OPTIONS;
    visibilityOptions = VISIBILITY_OPTIONS;

    org;
    stats;
    users = [];
    nextCursor = null;
    teams = [];
    profiles = [];
    loading = false;
    error;
    q = '';
    status = '';
    teamId = '';
    sortedBy = 'name';
    sortedDirection = 'asc';
    lastSync;

    // One dialog at a time: mode | confirm | user | team | members | import | roles
    dialog;
    dialogError;
    dialogMessages = {};
    busy = false;
    confirm; // { title, message, action, label, variant }
    form = {};
    editingId;
    teamForm = { name: '', parentId: '', kind: 'hierarchy' };
    memberOptions = [];
    memberIds = [];
    importStage; // reading | checking | applying (the import's progress)
    importFile;
    importText;
    importCheck; // { errors, validRows, teamsCreated }
    importResult;
    roles = [];
    selectedRoles = new Set();

    connectedCallback() {
        this.loadAll();
    }

    // ---- loading ----

    async loadAll() {
        this.loading = true;
        this.error = undefined;
        try {
            const [org, profiles, teams] = await Promise.all([get('/v1/org'), all('/v1/profiles'), all('/v1/teams')]);
            this.org = org;
            this.profiles = profiles;
            this.teams = teams;
            await Promise.all([this.loadUsers(), this.loadStats()]);
        } catch (e) {
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    async loadStats() {
        this.stats = await get('/v1/users/stats');
    }

    usersPath(cursor) {
        const params = [`limit=${PAGE}`];
        if (this.q.trim()) params.push(`q=${encodeURIComponent(this.q.trim())}`);
        if (this.status) params.push(`status=${encodeURIComponent(this.status)}`);
        if (this.teamId) params.push(`teamId=${encodeURIComponent(this.teamId)}`);
        if (cursor) params.push(`cursor=${encodeURIComponent(cursor)}`);
        return `/v1/users?${params.join('&')}`;
    }

    async loadUsers() {
        const page = await get(this.usersPath());
        this.users = page.items;
        this.nextCursor = page.nextCursor;
    }

    async refresh() {
        this.loading = true;
        this.error = undefined;
        try {
            const [teams] = await Promise.all([all('/v1/teams'), this.loadUsers(), this.loadStats()]);
            this.teams = teams;
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

    // ---- view state ----

    get automatic() {
        return this.org?.mode === 'automatic';
    }
    get manual() {
        return !this.automatic;
    }
    get modeText() {
        return this.automatic ? LABELS.MODE_AUTOMATIC : LABELS.MODE_MANUAL;
    }
    get modeHelp() {
        return this.automatic ? LABELS.MODE_HELP_AUTOMATIC : LABELS.MODE_HELP_MANUAL;
    }
    get switchLabel() {
        return this.automatic ? LABELS.SWITCH_TO_MANUAL : LABELS.ENABLE_AUTOMATIC;
    }
    get lastSyncText() {
        if (!this.org?.lastSyncAt) return LABELS.NOT_SYNCED;
        return `Last sync ${new Date(this.org.lastSyncAt).toLocaleString()}`;
    }
    get lastSyncResult() {
        const r = this.lastSync;
        if (!r) return '';
        return `${r.created} created, ${r.updated} updated, ${r.suspended} suspended, ${r.movedToTopLevel} moved to the top-level team`;
    }

    get tiles() {
        return STATUS_TILES.map((t) => ({
            ...t,
            count: this.stats ? this.stats[t.key] : '–',
            pressed: String(this.status === t.status),
            cls: `slds-box slds-box_x-small slds-text-align_center tile${this.status === t.status ? ' slds-theme_shade' : ''}`
        }));
    }

    get teamOptions() {
        return [{ label: LABELS.ALL_TEAMS, value: '' }, ...this.hierarchyTeamOptions];
    }
    get hierarchyTeamOptions() {
        return this.teams
            .filter((t) => t.kind !== 'custom')
            .map((t) => ({ label: t.name, value: t.id }))
            .sort((a, b) => a.label.localeCompare(b.label));
    }
    get parentOptions() {
        return [{ label: LABELS.NO_PARENT, value: '' }, ...this.hierarchyTeamOptions];
    }
    /** A user's hierarchy team: none, or Unassigned in Automatic mode (UT-15). */
    get userTeamOptions() {
        return [
            { label: this.automatic ? LABELS.UNASSIGNED : LABELS.NO_TEAM, value: '' },
            ...this.hierarchyTeamOptions
        ];
    }
    get statusOptions() {
        return [
            { label: LABELS.ALL_STATUSES, value: '' },
            ...Object.entries(STATUS_TEXT).map(([value, label]) => ({ label, value }))
        ];
    }
    get profileOptions() {
        return this.profiles.map((p) => ({ label: p.name, value: p.id }));
    }

    get rows() {
        const teams = new Map(this.teams.map((t) => [t.id, t.name]));
        const profiles = new Map(this.profiles.map((p) => [p.id, p.name]));
        const rows = this.users.map((u) => ({
            ...u,
            name: `${u.firstName} ${u.lastName}`,
            roleText: ROLE_OPTIONS.find((r) => r.value === u.role)?.label ?? u.role,
            teamName: u.teamId ? (teams.get(u.teamId) ?? '') : this.automatic ? LABELS.UNASSIGNED : '',
            profileName: profiles.get(u.profileId) ?? '',
            statusText: STATUS_TEXT[u.status] ?? u.status
        }));
        const key = this.sortedBy;
        const dir = this.sortedDirection === 'asc' ? 1 : -1;
        return rows.sort((a, b) => dir * String(a[key] ?? '').localeCompare(String(b[key] ?? '')));
    }
    get hasUsers() {
        return this.users.length > 0;
    }
    get emptyText() {
        return this.q || this.status || this.teamId ? LABELS.NO_MATCH : LABELS.NO_USERS;
    }
    get teamItems() {
        return teamTree(this.teams);
    }
    get hasTeams() {
        return this.teamItems.length > 0;
    }
    get hasCustomTeams() {
        return this.customTeams.length > 0;
    }
    get customTeams() {
        return this.teams.filter((t) => t.kind === 'custom');
    }

    rowActionsFor(row) {
        const actions = [{ label: LABELS.EDIT, name: 'edit' }];
        actions.push(
            row.status === 'suspended'
                ? { label: LABELS.REACTIVATE, name: 'reactivate' }
                : { label: LABELS.SUSPEND, name: 'suspend' }
        );
        actions.push({ label: LABELS.DELETE, name: 'delete' });
        return actions;
    }

    // ---- filters ----

    handleSearch(event) {
        this.q = event.detail.value ?? event.target.value ?? '';
        clearTimeout(this.searchTimer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.searchTimer = setTimeout(() => this.refresh(), 300);
    }
    handleStatus(event) {
        this.status = event.detail.value;
        this.refresh();
    }
    handleTile(event) {
        this.status = event.currentTarget.dataset.status;
        this.refresh();
    }
    handleTeamFilter(event) {
        this.teamId = event.detail.value;
        this.refresh();
    }
    handleTreeSelect(event) {
        this.teamId = event.detail.name;
        this.refresh();
    }
    handleSort(event) {
        this.sortedBy = event.detail.fieldName;
        this.sortedDirection = event.detail.sortDirection;
    }

    // ---- dialogs ----

    get showMode() {
        return this.dialog === 'mode';
    }
    get showConfirm() {
        return this.dialog === 'confirm';
    }
    get showUser() {
        return this.dialog === 'user';
    }
    get showTeam() {
        return this.dialog === 'team';
    }
    get showImport() {
        return this.dialog === 'import';
    }
    get showRoles() {
        return this.dialog === 'roles';
    }
    get showMembers() {
        return this.dialog === 'members';
    }

    open(dialog) {
        this.dialog = dialog;
        this.dialogError = undefined;
        this.dialogMessages = {};
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        requestAnimationFrame(() => this.template.querySelector('c-modal')?.focusHeading());
    }
    handleClose() {
        this.dialog = undefined;
        this.busy = false;
    }
    /** Escape closes the dialog unless a save is running. */
    handleModalClose() {
        if (!this.busy) this.handleClose();
    }
    /** The footer's main button of every dialog but the import (which has two): what it says and does. */
    get primary() {
        const save = (id) => ({ id, label: this.labels.SAVE, variant: 'brand', disabled: this.busy });
        const actions = {
            mode: { id: 'mode-confirm', label: this.switchLabel, variant: 'brand', disabled: this.busy },
            confirm: { id: 'confirm', label: this.confirm?.label, variant: this.confirm?.variant, disabled: this.busy },
            user: save('save-user'),
            team: save('save-team'),
            members: save('save-members'),
            roles: {
                id: 'roles-import',
                label: this.labels.IMPORT_SELECTED_ROLES,
                variant: 'brand',
                disabled: this.cannotImportRoles
            }
        };
        return actions[this.dialog];
    }
    handlePrimary() {
        const handlers = {
            mode: this.handleModeConfirm,
            confirm: this.handleConfirm,
            user: this.handleSaveUser,
            team: this.handleSaveTeam,
            members: this.handleSaveMembers,
            roles: this.handleImportRoles
        };
        return handlers[this.dialog]?.call(this);
    }
    get dialogTitle() {
        const titles = {
            mode: () => this.modeTitle,
            confirm: () => this.confirm?.title,
            user: () => this.userTitle,
            team: () => this.teamDialogTitle,
            members: () => this.membersTitle,
            import: () => this.labels.IMPORT_TITLE,
            roles: () => this.labels.ROLES_TITLE
        };
        return titles[this.dialog]?.();
    }

    async run(action, success) {
        this.busy = true;
        this.dialogError = undefined;
        this.dialogMessages = {};
        try {
            const result = await action();
            this.dialog = undefined;
            if (success) Toast.show({ label: success, variant: 'success' }, this);
            await Promise.all([this.refresh(), get('/v1/org').then((org) => (this.org = org))]);
            return result;
        } catch (e) {
            this.dialogError = e;
            this.dialogMessages = fieldMessages(e);
            return undefined;
        } finally {
            this.busy = false;
        }
    }

    // mode (UT-3, UT-14)
    get modeTarget() {
        return this.automatic ? 'manual' : 'automatic';
    }
    /** UT-3 / UT-14: what the switch does, the saved-views warning included. */
    get modeConsequences() {
        return this.automatic
            ? [LABELS.TO_MANUAL_STOPS, LABELS.TO_MANUAL_STAYS, LABELS.TO_MANUAL_TOOLS, LABELS.TO_MANUAL_SAVED_VIEWS]
            : [
                  LABELS.TO_AUTO_TEAMS,
                  LABELS.TO_AUTO_SAVED_VIEWS,
                  LABELS.TO_AUTO_TOP_LEVEL,
                  LABELS.TO_AUTO_READ_ONLY,
                  LABELS.TO_AUTO_ONBOARDING,
                  LABELS.TO_AUTO_NEEDS
              ];
    }
    get modeTitle() {
        return this.automatic ? LABELS.SWITCH_TO_MANUAL_TITLE : LABELS.ENABLE_AUTOMATIC_TITLE;
    }
    handleModeOpen() {
        this.open('mode');
    }
    handleModeConfirm() {
        const mode = this.modeTarget;
        this.run(
            () => put('/v1/org/mode', { mode }),
            `Mode changed to ${mode === 'automatic' ? 'Automatic' : 'Manual'}`
        );
    }

    async handleSync() {
        this.loading = true;
        try {
            this.lastSync = await post('/v1/org/sync');
            this.org = await get('/v1/org');
            Toast.show({ label: 'Sync finished', message: this.lastSyncResult, variant: 'success' }, this);
            await this.refresh();
        } catch (e) {
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    // row actions with confirmation (UT-9)
    handleRowAction(event) {
        const { action, row } = event.detail;
        const user = this.users.find((u) => u.id === row.id);
        if (!user) return;
        const name = `${user.firstName} ${user.lastName}`;
        if (action.name === 'edit') {
            this.openUser(user);
        } else if (action.name === 'suspend') {
            this.confirm = {
                title: format(LABELS.SUSPEND_TITLE, name),
                message: LABELS.SUSPEND_MESSAGE,
                label: LABELS.SUSPEND,
                variant: 'destructive',
                action: () => post(`/v1/users/${encodeURIComponent(user.id)}/suspend`),
                success: `${name} suspended`
            };
            this.open('confirm');
        } else if (action.name === 'reactivate') {
            this.confirm = {
                title: format(LABELS.REACTIVATE_TITLE, name),
                message: LABELS.REACTIVATE_MESSAGE,
                label: LABELS.REACTIVATE,
                variant: 'brand',
                action: () => post(`/v1/users/${encodeURIComponent(user.id)}/reactivate`),
                success: `${name} reactivated`
            };
            this.open('confirm');
        } else if (action.name === 'delete') {
            this.confirm = {
                title: format(LABELS.DELETE_USER_TITLE, name),
                message: LABELS.DELETE_USER_MESSAGE,
                label: LABELS.DELETE,
                variant: 'destructive',
                action: () => del(`/v1/users/${encodeURIComponent(user.id)}`),
                success: `${name} deleted`
            };
            this.open('confirm');
        }
    }
    handleConfirm() {
        this.run(this.confirm.action, this.confirm.success);
    }

    // add / edit (UT-7, UT-8)
    get userTitle() {
        return this.editingId ? LABELS.EDIT_USER : LABELS.ADD_USER;
    }
    /** UT-8 / UT-15: what Automatic mode locks for this user (the rule of domain/users.ts). */
    get lockedHelp() {
        if (!this.automatic) return '';
        return this.locked ? LABELS.LOCKED_SYNCED : LABELS.LOCKED_MANUAL_USER;
    }
    /** Names and job title: read-only for a user synced from Salesforce. */
    get locked() {
        return this.automatic && !!this.editingId && !!this.editingSalesforceUserId;
    }
    /** Team: read-only for everyone in Automatic mode. */
    get teamLocked() {
        return this.automatic;
    }
    handleAddUser() {
        this.editingId = undefined;
        this.editingSalesforceUserId = undefined;
        this.form = {
            firstName: '',
            lastName: '',
            email: '',
            jobTitle: '',
            role: 'member',
            visibility: 'team',
            teamId: '',
            profileId: this.profiles.find((p) => p.isDefault)?.id ?? ''
        };
        this.open('user');
    }
    openUser(user) {
        this.editingId = user.id;
        this.editingSalesforceUserId = user.salesforceUserId;
        this.form = {
            firstName: user.firstName,
            lastName: user.lastName,
            email: user.email,
            jobTitle: user.jobTitle ?? '',
            role: user.role,
            visibility: user.visibility,
            teamId: user.teamId ?? '',
            profileId: user.profileId
        };
        this.open('user');
    }
    handleField(event) {
        this.form = { ...this.form, [event.target.dataset.field]: event.detail.value ?? event.target.value };
    }
    handleSaveUser() {
        const body = { ...this.form, jobTitle: this.form.jobTitle || null, teamId: this.form.teamId || null };
        if (!body.profileId) delete body.profileId;
        if (this.editingId) {
            if (this.locked) for (const f of SALESFORCE_OWNED) delete body[f];
            if (this.teamLocked) delete body.teamId;
            const id = this.editingId;
            this.run(() => patch(`/v1/users/${encodeURIComponent(id)}`, body), 'User saved');
        } else {
            if (this.teamLocked) delete body.teamId;
            this.run(() => post('/v1/users', body), `${body.firstName} ${body.lastName} added`);
        }
    }
    get msgFirstName() {
        return this.dialogMessages.firstName;
    }
    get msgLastName() {
        return this.dialogMessages.lastName;
    }
    get msgEmail() {
        return this.dialogMessages.email;
    }

    // teams (UT-4): create, rename, nest (move), delete; custom-team members
    get selectedTeam() {
        return this.teams.find((t) => t.id === this.teamId);
    }
    get selectedTeamIsCustom() {
        return this.selectedTeam?.kind === 'custom';
    }
    /** Hierarchy teams change by hand in Manual mode only (UT-2, UT-14); custom teams in both modes. */
    get canEditSelectedTeam() {
        const t = this.selectedTeam;
        return !!t && (t.kind === 'custom' || this.manual);
    }
    get selectedTeamText() {
        const t = this.selectedTeam;
        if (!t) return '';
        const kind = t.kind === 'custom' ? 'Custom team' : 'Team';
        return `${kind}: ${t.name} · ${t.memberCount} member${t.memberCount === 1 ? '' : 's'}`;
    }
    get customTeamRows() {
        return this.customTeams
            .map((t) => ({
                ...t,
                label: `${t.name} (${t.memberCount})`,
                cls: `slds-button slds-button_reset slds-text-link${this.teamId === t.id ? ' slds-text-title_bold' : ''}`,
                pressed: String(this.teamId === t.id)
            }))
            .sort((a, b) => a.name.localeCompare(b.name));
    }
    get teamDialogTitle() {
        if (this.teamForm.id) return format(LABELS.EDIT_TEAM_TITLE, this.teamForm.originalName);
        return this.teamForm.kind === 'custom' ? LABELS.ADD_CUSTOM_TEAM : LABELS.ADD_TEAM;
    }
    get teamFormIsHierarchy() {
        return this.teamForm.kind !== 'custom';
    }
    /** Where a team may move: any hierarchy team but itself and the teams below it (no cycles). */
    get moveParentOptions() {
        const id = this.teamForm.id;
        const below = new Set(id ? [id] : []);
        let grew = true;
        while (grew) {
            grew = false;
            for (const t of this.teams)
                if (t.parentId && below.has(t.parentId) && !below.has(t.id)) {
                    below.add(t.id);
                    grew = true;
                }
        }
        return this.parentOptions.filter((o) => !below.has(o.value) || o.value === '');
    }
    handleAddTeam() {
        this.teamForm = {
            name: '',
            parentId: this.selectedTeam?.kind === 'hierarchy' ? this.teamId : '',
            kind: 'hierarchy'
        };
        this.open('team');
    }
    handleAddCustomTeam() {
        this.teamForm = { name: '', parentId: '', kind: 'custom' };
        this.open('team');
    }
    handleEditTeam() {
        const t = this.selectedTeam;
        if (!t) return;
        this.teamForm = { id: t.id, originalName: t.name, name: t.name, parentId: t.parentId ?? '', kind: t.kind };
        this.open('team');
    }
    handleTeamField(event) {
        this.teamForm = { ...this.teamForm, [event.target.dataset.field]: event.detail.value ?? event.target.value };
    }
    handleSaveTeam() {
        const f = this.teamForm;
        const name = (f.name ?? '').trim();
        if (f.id) {
            const body = { name };
            if (f.kind !== 'custom') body.parentId = f.parentId || null;
            this.run(() => patch(`/v1/teams/${encodeURIComponent(f.id)}`, body), `Team ${name} saved`);
        } else {
            const body = { name, kind: f.kind };
            if (f.kind !== 'custom') body.parentId = f.parentId || null;
            this.run(() => post('/v1/teams', body), `Team ${name} created`);
        }
    }
    handleDeleteTeam() {
        const t = this.selectedTeam;
        if (!t) return;
        this.confirm = {
            title: format(LABELS.DELETE_TEAM_TITLE, t.name),
            message: t.kind === 'custom' ? LABELS.DELETE_CUSTOM_TEAM_MESSAGE : LABELS.DELETE_TEAM_MESSAGE,
            label: LABELS.DELETE,
            variant: 'destructive',
            action: async () => {
                await del(`/v1/teams/${encodeURIComponent(t.id)}`);
                this.teamId = '';
            },
            success: `Team ${t.name} deleted`
        };
        this.open('confirm');
    }
    handleCustomTeamSelect(event) {
        this.teamId = event.currentTarget.dataset.teamId;
        this.refresh();
    }
    handleClearTeam() {
        this.teamId = '';
        this.refresh();
    }
    get msgTeamName() {
        return this.dialogMessages.name;
    }
    get msgTeamParent() {
        return this.dialogMessages.parentId;
    }

    // custom-team members (UT-4: a user in several teams at once)
    async handleMembersOpen() {
        const t = this.selectedTeam;
        if (!t) return;
        this.memberOptions = [];
        this.memberIds = [];
        this.open('members');
        this.busy = true;
        try {
            const users = await all('/v1/users');
            this.memberOptions = users
                .map((u) => ({ label: `${u.firstName} ${u.lastName} (${u.email})`, value: u.id }))
                .sort((a, b) => a.label.localeCompare(b.label));
            this.memberIds = users.filter((u) => (u.customTeamIds ?? []).includes(t.id)).map((u) => u.id);
        } catch (e) {
            this.dialogError = e;
        } finally {
            this.busy = false;
        }
    }
    get membersTitle() {
        return format(LABELS.MEMBERS_TITLE, this.selectedTeam?.name ?? '');
    }
    handleMembersChange(event) {
        this.memberIds = [...event.detail.value];
    }
    handleSaveMembers() {
        const t = this.selectedTeam;
        const userIds = [...this.memberIds];
        this.run(
            () => put(`/v1/teams/${encodeURIComponent(t.id)}/members`, { userIds }),
            `${t.name}: ${userIds.length} member${userIds.length === 1 ? '' : 's'}`
        );
    }

    // CSV (UT-6)
    handleImportOpen() {
        this.importText = undefined;
        this.importFile = undefined;
        this.importCheck = undefined;
        this.importResult = undefined;
        this.open('import');
    }
    async handleFile(event) {
        const file = event.target.files?.[0];
        if (!file) return;
        this.importFile = file.name;
        this.importCheck = undefined;
        this.importResult = undefined;
        this.busy = true;
        this.dialogError = undefined;
        this.importStage = 'reading';
        try {
            this.importText = await file.text();
            this.importStage = 'checking';
            this.importCheck = await post('/v1/users/import?mode=validate', { csv: this.importText });
        } catch (e) {
            this.dialogError = e;
        } finally {
            this.busy = false;
            this.importStage = undefined;
        }
    }
    /** Data rows in the chosen file (lines after the header that are not blank). */
    get importRowCount() {
        return (this.importText ?? '').split(/\r?\n/).filter((l) => l.trim() !== '').length - 1;
    }
    /** The import's steps (UT-6): choose a file, check it, review the errors, import. */
    get importStep() {
        if (this.importResult) return 'done';
        if (this.importStage === 'applying') return 'import';
        if (this.importCheck) return 'review';
        if (this.importStage) return 'check';
        return 'choose';
    }
    get importSteps() {
        return [
            { value: 'choose', label: LABELS.STEP_CHOOSE },
            { value: 'check', label: LABELS.STEP_CHECK },
            { value: 'review', label: LABELS.STEP_REVIEW },
            { value: 'import', label: LABELS.STEP_IMPORT },
            { value: 'done', label: LABELS.STEP_DONE }
        ];
    }
    /** The step in words (the indicator's dots alone name nothing). */
    get importStepText() {
        const steps = this.importSteps;
        const i = steps.findIndex((x) => x.value === this.importStep);
        return format(LABELS.STEP_OF, i + 1, steps.length, steps[i].label);
    }
    get importWorking() {
        return !!this.importStage;
    }
    get importProgressText() {
        const n = Math.max(0, this.importRowCount);
        const rows = `${n} row${n === 1 ? '' : 's'}`;
        if (this.importStage === 'reading') return `Reading ${this.importFile}…`;
        if (this.importStage === 'checking') return `Checking ${rows} of ${this.importFile}…`;
        if (this.importStage === 'applying') {
            const v = this.importApplying ?? 0;
            return `Importing ${v} row${v === 1 ? '' : 's'}…`;
        }
        return '';
    }
    get importErrors() {
        return (this.importCheck?.errors ?? []).map((e, i) => ({ ...e, key: `${i}` }));
    }
    get hasImportErrors() {
        return this.importErrors.length > 0;
    }
    get importSummary() {
        const c = this.importCheck;
        if (!c) return '';
        const lines = new Set(c.errors.map((e) => e.line)).size;
        const teams = c.teamsCreated.length ? ` New teams: ${c.teamsCreated.join(', ')}.` : '';
        return `${c.validRows} row${c.validRows === 1 ? '' : 's'} ready, ${lines} line${lines === 1 ? '' : 's'} with errors.${teams}`;
    }
    get cannotApplyAll() {
        return this.busy || !this.importCheck || this.hasImportErrors || this.importCheck.validRows === 0;
    }
    get cannotApplyValid() {
        return this.busy || !this.importCheck || !this.hasImportErrors || this.importCheck.validRows === 0;
    }
    get applyValidLabel() {
        const n = this.importCheck?.validRows ?? 0;
        return n === 1 ? 'Import the valid row' : `Import the ${n} valid rows`;
    }
    handleApplyAll() {
        this.applyImport('all_or_nothing');
    }
    handleApplyValid() {
        this.applyImport('apply_valid');
    }
    async applyImport(mode) {
        this.busy = true;
        this.dialogError = undefined;
        this.importApplying = this.importCheck?.validRows ?? 0;
        this.importStage = 'applying';
        try {
            const r = await post(`/v1/users/import?mode=${mode}`, { csv: this.importText });
            const skipped = new Set(r.errors.map((e) => e.line)).size;
            const skippedText = skipped ? `, ${skipped} line${skipped === 1 ? '' : 's'} skipped` : '';
            this.importResult = `${r.created} created, ${r.updated} updated${skippedText}.`;
            this.importCheck = undefined;
            Toast.show({ label: 'Import finished', message: this.importResult, variant: 'success' }, this);
            await this.refresh();
        } catch (e) {
            this.dialogError = e;
        } finally {
            this.busy = false;
            this.importStage = undefined;
        }
    }
    async handleExport() {
        try {
            const csv = await getText('/v1/users/export');
            const link = document.createElement('a');
            link.href = `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`;
            link.download = 'backstory-users.csv';
            link.click();
        } catch (e) {
            this.error = e;
        }
    }

    // one-time role import (UT-5)
    async handleRolesOpen() {
        this.selectedRoles = new Set();
        this.roles = [];
        this.open('roles');
        this.busy = true;
        try {
            const tree = await get('/v1/org/roles');
            this.roles = flattenRoles(tree.items ?? tree);
        } catch (e) {
            this.dialogError = e;
        } finally {
            this.busy = false;
        }
    }
    get roleRows() {
        return this.roles.map((r) => ({ ...r, checked: this.selectedRoles.has(r.id) }));
    }
    handleRoleCheck(event) {
        const next = new Set(this.selectedRoles);
        if (event.target.checked) next.add(event.target.dataset.roleId);
        else next.delete(event.target.dataset.roleId);
        this.selectedRoles = next;
    }
    get cannotImportRoles() {
        return this.busy || this.selectedRoles.size === 0;
    }
    handleImportRoles() {
        const roleIds = [...this.selectedRoles];
        this.run(() => post('/v1/org/role-import', { roleIds }), 'Roles imported');
    }
}
