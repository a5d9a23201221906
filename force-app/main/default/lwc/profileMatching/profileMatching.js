import { LightningElement, api } from 'lwc';
import { LABELS, format } from 'c/adminLabels';
import { loadFields } from 'c/fieldCatalog';

const TYPES = ['Opportunity', 'Account', 'Lead'];
const clone = (value) => JSON.parse(JSON.stringify(value));

/** Messages under `prefix.` with the prefix removed: { field, operator, value } of one condition. */
function messagesFor(messages, prefix) {
    const out = {};
    for (const [path, message] of Object.entries(messages ?? {})) {
        if (path.startsWith(`${prefix}.`)) out[path.slice(prefix.length + 1).split('.')[0]] = message;
    }
    return out;
}

/**
 * The Matching tab of a configuration profile: minimum score, eligibility filter groups per
 * object type (CP-5: AND inside a group, OR across groups; all / none / filtered) and ranking
 * groups (CP-6: sort or select conditions, one kind per group, priority by drag and drop or by
 * the move buttons). Fires `change` with the whole new matching section.
 */
export default class ProfileMatching extends LightningElement {
    labels = LABELS;
    @api matching;
    /** Field messages of the last save, keyed by API path (`matching.rankingGroups.0.name`). */
    @api messages = {};
    @api disabled = false;

    fieldsByType = {};
    fieldsError;
    announcement = '';
    dragIndex = null;

    connectedCallback() {
        Promise.all(TYPES.map((t) => loadFields(t).then((fields) => [t, fields])))
            .then((entries) => {
                const byType = Object.fromEntries(entries);
                // "All" record types: the fields the three objects share.
                const paths = TYPES.map((t) => new Set(byType[t].map((f) => f.path)));
                byType.All = byType.Opportunity.filter((f) => paths.every((p) => p.has(f.path)));
                this.fieldsByType = byType;
            })
            .catch((error) => {
                this.fieldsError = error;
            });
    }

    emit(next) {
        this.dispatchEvent(new CustomEvent('change', { detail: { matching: next } }));
    }

    update(mutate) {
        const next = clone(this.matching);
        mutate(next);
        this.emit(next);
    }

    // ----- minimum score

    get minScoreError() {
        return this.messages?.['matching.minScore'] ?? '';
    }

    handleMinScore(event) {
        const value = Number(event.detail.value);
        if (event.detail.value === '' || Number.isNaN(value)) return;
        this.update((m) => {
            m.minScore = value;
        });
    }

    // ----- eligibility (CP-5)

    get eligibility() {
        const modeOptions = [
            { value: 'all', label: LABELS.ELIGIBILITY_ALL },
            { value: 'none', label: LABELS.ELIGIBILITY_NONE },
            { value: 'filtered', label: LABELS.ELIGIBILITY_FILTERED }
        ];
        return TYPES.map((type) => {
            const e = this.matching?.eligibility?.[type] ?? { mode: 'all', groups: [] };
            const choice = e.mode === 'all' ? 'all' : e.groups.length === 0 ? 'none' : 'filtered';
            const prefix = `matching.eligibility.${type}`;
            return {
                type,
                choice,
                modeOptions,
                modeLabel: `${type}: ${LABELS.ELIGIBILITY_TITLE}`,
                modeError: this.messages?.[`${prefix}.mode`] ?? '',
                showGroups: choice === 'filtered',
                fields: this.fieldsByType[type] ?? [],
                groups: e.groups.map((g, gi) => ({
                    key: `${type}-${gi}`,
                    index: gi,
                    showOr: gi > 0,
                    name: g.name,
                    nameLabel: `${LABELS.GROUP_NAME} (${type} ${gi + 1})`,
                    nameError: this.messages?.[`${prefix}.groups.${gi}.name`] ?? '',
                    groupError: this.messages?.[`${prefix}.groups.${gi}.filters`] ?? '',
                    removeLabel: `${LABELS.REMOVE} ${g.name || `${type} ${gi + 1}`}`,
                    filters: g.filters.map((f, fi) => ({
                        key: `${type}-${gi}-${fi}`,
                        index: fi,
                        showAnd: fi > 0,
                        condition: f,
                        errors: messagesFor(this.messages, `${prefix}.groups.${gi}.filters.${fi}`)
                    }))
                }))
            };
        });
    }

    handleEligibilityMode(event) {
        const type = event.target.dataset.type;
        const choice = event.detail.value;
        this.update((m) => {
            const e = m.eligibility[type];
            if (choice === 'all') m.eligibility[type] = { mode: 'all', groups: [] };
            else if (choice === 'none') m.eligibility[type] = { mode: 'filtered', groups: [] };
            else if (e.groups.length === 0)
                m.eligibility[type] = { mode: 'filtered', groups: [this.newGroup(type, e.groups.length)] };
        });
    }

    newGroup(type, count) {
        return { name: `${type} group ${count + 1}`, filters: [{ field: '', operator: 'equals', value: '' }] };
    }

    handleAddGroup(event) {
        const type = event.target.dataset.type;
        this.update((m) => {
            m.eligibility[type].mode = 'filtered';
            m.eligibility[type].groups.push(this.newGroup(type, m.eligibility[type].groups.length));
        });
    }

    handleRemoveGroup(event) {
        const { type, group } = event.target.dataset;
        // Removing the last group leaves the type with none eligible (CP-5), as the seed says.
        this.update((m) => m.eligibility[type].groups.splice(Number(group), 1));
    }

    handleGroupName(event) {
        const { type, group } = event.target.dataset;
        const value = event.detail.value;
        this.update((m) => {
            m.eligibility[type].groups[Number(group)].name = value;
        });
    }

    handleAddFilter(event) {
        const { type, group } = event.target.dataset;
        this.update((m) =>
            m.eligibility[type].groups[Number(group)].filters.push({ field: '', operator: 'equals', value: '' })
        );
    }

    handleFilterChange(event) {
        const { type, group, index } = event.target.dataset;
        const condition = event.detail.condition;
        this.update((m) => {
            m.eligibility[type].groups[Number(group)].filters[Number(index)] = condition;
        });
    }

    handleFilterRemove(event) {
        const { type, group, index } = event.target.dataset;
        this.update((m) => {
            const g = m.eligibility[type].groups[Number(group)];
            g.filters.splice(Number(index), 1);
            // A group without filters would be refused: the group goes with its last filter.
            if (g.filters.length === 0) m.eligibility[type].groups.splice(Number(group), 1);
        });
    }

    // ----- ranking groups (CP-6)

    get recordTypeOptions() {
        return [...TYPES.map((t) => ({ value: t, label: t })), { value: 'All', label: LABELS.ALL_TYPES }];
    }

    get kindOptions() {
        return [
            { value: 'sort', label: LABELS.KIND_SORT },
            { value: 'select', label: LABELS.KIND_SELECT }
        ];
    }

    get rankingGroups() {
        const groups = this.matching?.rankingGroups ?? [];
        return groups.map((g, gi) => {
            const prefix = `matching.rankingGroups.${gi}`;
            const name = g.name || `${gi + 1}`;
            return {
                key: `rank-${gi}`,
                index: gi,
                priority: format(LABELS.PRIORITY, gi + 1),
                name: g.name,
                recordType: g.recordType,
                kind: g.kind,
                isSort: g.kind === 'sort',
                nameLabel: `${LABELS.GROUP_NAME} (${LABELS.RANKING_TITLE} ${gi + 1})`,
                nameError: this.messages?.[`${prefix}.name`] ?? '',
                groupError: this.messages?.[`${prefix}.conditions`] ?? this.messages?.[prefix] ?? '',
                fields: this.fieldsByType[g.recordType] ?? [],
                upLabel: format(LABELS.MOVE_UP, name),
                downLabel: format(LABELS.MOVE_DOWN, name),
                dragLabel: format(LABELS.MOVE_RULE_HINT, name),
                removeLabel: `${LABELS.REMOVE} ${name}`,
                upDisabled: this.disabled || gi === 0,
                downDisabled: this.disabled || gi === groups.length - 1,
                conditions: g.conditions.map((c, ci) => ({
                    key: `rank-${gi}-${ci}`,
                    index: ci,
                    condition: c,
                    errors: messagesFor(this.messages, `${prefix}.conditions.${ci}`)
                }))
            };
        });
    }

    get hasRankingGroups() {
        return (this.matching?.rankingGroups ?? []).length > 0;
    }

    handleAddRanking() {
        this.update((m) =>
            m.rankingGroups.push({
                name: `Ranking group ${m.rankingGroups.length + 1}`,
                recordType: 'Opportunity',
                kind: 'sort',
                conditions: [{ field: '', direction: 'asc' }]
            })
        );
    }

    handleRankingName(event) {
        const i = Number(event.target.dataset.group);
        const value = event.detail.value;
        this.update((m) => {
            m.rankingGroups[i].name = value;
        });
    }

    handleRankingType(event) {
        const i = Number(event.target.dataset.group);
        const value = event.detail.value;
        this.update((m) => {
            m.rankingGroups[i].recordType = value;
        });
    }

    handleRankingKind(event) {
        const i = Number(event.target.dataset.group);
        const kind = event.detail.value;
        // CP-6: conditions are all of one kind, so a new kind starts from one empty condition.
        this.update((m) => {
            m.rankingGroups[i].kind = kind;
            m.rankingGroups[i].conditions = [
                kind === 'sort' ? { field: '', direction: 'asc' } : { field: '', operator: 'equals', value: '' }
            ];
        });
    }

    handleAddCondition(event) {
        const i = Number(event.target.dataset.group);
        this.update((m) => {
            const g = m.rankingGroups[i];
            g.conditions.push(
                g.kind === 'sort' ? { field: '', direction: 'asc' } : { field: '', operator: 'equals', value: '' }
            );
        });
    }

    handleConditionChange(event) {
        const { group, index } = event.target.dataset;
        const condition = event.detail.condition;
        this.update((m) => {
            m.rankingGroups[Number(group)].conditions[Number(index)] = condition;
        });
    }

    handleConditionRemove(event) {
        const { group, index } = event.target.dataset;
        this.update((m) => {
            const g = m.rankingGroups[Number(group)];
            g.conditions.splice(Number(index), 1);
            if (g.conditions.length === 0) m.rankingGroups.splice(Number(group), 1);
        });
    }

    handleRemoveRanking(event) {
        const i = Number(event.target.dataset.group);
        this.update((m) => m.rankingGroups.splice(i, 1));
    }

    move(from, to) {
        const groups = this.matching?.rankingGroups ?? [];
        if (from === to || to < 0 || to >= groups.length) return;
        const name = groups[from].name;
        this.update((m) => {
            const [g] = m.rankingGroups.splice(from, 1);
            m.rankingGroups.splice(to, 0, g);
        });
        this.announcement = `${name}: ${format(LABELS.PRIORITY, to + 1)}`;
    }

    handleMoveUp(event) {
        const i = Number(event.target.dataset.group);
        this.move(i, i - 1);
    }

    handleMoveDown(event) {
        const i = Number(event.target.dataset.group);
        this.move(i, i + 1);
    }

    handleDragStart(event) {
        this.dragIndex = Number(event.currentTarget.dataset.group);
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', String(this.dragIndex));
    }

    handleDragOver(event) {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
    }

    handleDrop(event) {
        event.preventDefault();
        const to = Number(event.currentTarget.dataset.group);
        const from = this.dragIndex ?? Number(event.dataTransfer.getData('text/plain'));
        this.dragIndex = null;
        this.move(from, to);
    }
}
