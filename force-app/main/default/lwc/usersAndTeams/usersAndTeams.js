import { LightningElement } from 'lwc';
import Toast from 'lightning/toast';
import { get, post, put, patch, del, getText } from 'c/backstoryApi';
import { fieldMessages } from 'c/errorUtils';

const PAGE = 50;
const STATUS_TILES = [
    { key: 'pending', status: 'pending', label: 'Pending' },
    { key: 'onboarding', status: 'onboarding', label: 'Onboarding' },
    { key: 'permissionErrors', status: 'permission_error', label: 'Permission Errors' },
    { key: 'active', status: 'active', label: 'Active' },
    { key: 'suspended', status: 'suspended', label: 'Suspended' },
    { key: 'total', status: '', label: 'Total' }
];
const STATUS_TEXT = {
    pending: 'Pending',
    onboarding: 'Onboarding',
    permission_error: 'Permission Error',
    active: 'Active',
    suspended: 'Suspended'
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
    { label: 'Name', fieldName: 'name', sortable: true },
    { label: 'Email', fieldName: 'email', sortable: true },
    { label: 'Role', fieldName: 'roleText', sortable: true },
    { label: 'Team', fieldName: 'teamName', sortable: true },
    { label: 'Profile', fieldName: 'profileName', sortable: true },
    { label: 'Status', fieldName: 'statusText', sortable: true }
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
        return this.automatic ? 'Automatic' : 'Manual';
    }
    get modeHelp() {
        return this.automatic
            ? 'Users and the team hierarchy come from Salesforce and sync at least every 30 minutes.'
            : 'You add, edit and organise users and teams here.';
    }
    get switchLabel() {
        return this.automatic ? 'Switch to Manual' : 'Enable Automatic';
    }
    get lastSyncText() {
        if (!this.org?.lastSyncAt) return 'Not synced yet';
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
        return [{ label: 'All teams', value: '' }, ...this.hierarchyTeamOptions];
    }
    get hierarchyTeamOptions() {
        return this.teams
            .filter((t) => t.kind !== 'custom')
            .map((t) => ({ label: t.name, value: t.id }))
            .sort((a, b) => a.label.localeCompare(b.label));
    }
    get parentOptions() {
        return [{ label: 'No parent (top level)', value: '' }, ...this.hierarchyTeamOptions];
    }
    get statusOptions() {
        return [
            { label: 'All statuses', value: '' },
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
            teamName: u.teamId ? (teams.get(u.teamId) ?? '') : this.automatic ? 'Unassigned' : '',
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
        return this.q || this.status || this.teamId
            ? 'No user matches these filters.'
            : 'No users yet. Add one, import a CSV file or import Salesforce roles.';
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
        const actions = [{ label: 'Edit', name: 'edit' }];
        actions.push(
            row.status === 'suspended'
                ? { label: 'Reactivate', name: 'reactivate' }
                : { label: 'Suspend', name: 'suspend' }
        );
        actions.push({ label: 'Delete', name: 'delete' });
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
        requestAnimationFrame(() => this.template.querySelector('[data-focus]')?.focus());
    }
    handleClose() {
        this.dialog = undefined;
        this.busy = false;
    }
    handleKeydown(event) {
        if (event.key === 'Escape' && this.dialog && !this.busy) this.handleClose();
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
    get modeConsequences() {
        return this.automatic
            ? [
                  'Syncing from Salesforce stops.',
                  'The imported team hierarchy stays as it is.',
                  'Adding, editing and organising users and teams by hand returns.'
              ]
            : [
                  'Your Backstory teams are deleted and replaced by the Salesforce role hierarchy.',
                  'Reports, dashboards and Saved Views that reference old team ids will break.',
                  'Users not in the role hierarchy move to the top-level team; nobody is suspended.',
                  'First name, last name, job title and team become read-only: they come from Salesforce.',
                  'Needs a connected Salesforce org and a configuration profile besides the default one.'
              ];
    }
    get modeTitle() {
        return this.automatic ? 'Switch to Manual mode?' : 'Enable Automatic mode?';
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
                title: `Suspend ${name}?`,
                message:
                    'Access is revoked at once, their past data is hidden and processing stops. The data is kept; reactivating restores it.',
                label: 'Suspend',
                variant: 'destructive',
                action: () => post(`/v1/users/${encodeURIComponent(user.id)}/suspend`),
                success: `${name} suspended`
            };
            this.open('confirm');
        } else if (action.name === 'reactivate') {
            this.confirm = {
                title: `Reactivate ${name}?`,
                message: 'Access and their past data come back; processing resumes.',
                label: 'Reactivate',
                variant: 'brand',
                action: () => post(`/v1/users/${encodeURIComponent(user.id)}/reactivate`),
                success: `${name} reactivated`
            };
            this.open('confirm');
        } else if (action.name === 'delete') {
            this.confirm = {
                title: `Delete ${name}?`,
                message: "The user and their past activity data are removed for good. This can't be undone.",
                label: 'Delete',
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
        return this.editingId ? 'Edit user' : 'Add user';
    }
    /** UT-8 / UT-15: what Automatic mode locks for this user (the rule of domain/users.ts). */
    get lockedHelp() {
        if (!this.automatic) return '';
        return this.locked
            ? 'Automatic mode: first name, last name, job title and team come from Salesforce; change them there.'
            : 'Automatic mode: a user added here without a Salesforce user stays in the Unassigned group.';
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
        if (this.teamForm.id) return `Edit team ${this.teamForm.originalName}`;
        return this.teamForm.kind === 'custom' ? 'Add custom team' : 'Add team';
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
            title: `Delete team ${t.name}?`,
            message:
                t.kind === 'custom'
                    ? 'The custom team goes; its members stay in their other teams. Saved Views that reference this team id break.'
                    : 'Only a team without users and without sub-teams can be deleted: move them first. Saved Views that reference this team id break.',
            label: 'Delete',
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
        return `Members of ${this.selectedTeam?.name ?? ''}`;
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
            { value: 'choose', label: 'Choose a file' },
            { value: 'check', label: 'Check every line' },
            { value: 'review', label: 'Review the errors' },
            { value: 'import', label: 'Import' },
            { value: 'done', label: 'Done' }
        ];
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
