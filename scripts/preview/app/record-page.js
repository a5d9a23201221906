// A Lightning record page in the preview (#record/Opportunity/006…): the record's highlights,
// its details, and the record page components force-app puts on it (activityPanel), as the
// Backstory app's record pages do (force-app/main/default/flexipages/Backstory_*_Record_Page).
import send from './apex-bridge.js';

const ICONS = { Account: 'account', Contact: 'contact', Lead: 'lead', Opportunity: 'opportunity', Event: 'event' };

function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
}

export async function renderRecordPage(main, objectApiName, recordId, panel) {
    let record = { name: recordId, type: objectApiName, detail: null };
    try {
        const found = JSON.parse(
            await send({ method: 'GET', path: `/v1/crm/records?id=${encodeURIComponent(recordId)}`, body: null })
        );
        if (found.items[0]) record = found.items[0];
    } catch {
        // The record is not in the replica (or not visible): the page still shows the panel.
    }
    const icon = ICONS[objectApiName] ?? 'record';
    const header = el('div', 'slds-page-header slds-page-header_record-home slds-m-bottom_small');
    header.dataset.id = 'record-header';
    header.innerHTML = `<div class="slds-page-header__row"><div class="slds-page-header__col-title"><div class="slds-media">
<div class="slds-media__figure"><span class="slds-icon_container slds-icon-standard-${icon}">
<svg class="slds-icon slds-page-header__icon" aria-hidden="true"><use href="/assets/icons/standard-sprite/svg/symbols.svg#${icon}"></use></svg></span></div>
<div class="slds-media__body"><div class="slds-page-header__name"><div class="slds-page-header__name-title"><h1>
<span class="slds-page-header__title-sub"></span><span class="slds-page-header__title slds-truncate"></span></h1></div></div></div></div></div></div>`;
    header.querySelector('.slds-page-header__title-sub').textContent = objectApiName;
    header.querySelector('.slds-page-header__title').textContent = record.name;
    const grid = el('div', 'slds-grid slds-gutters slds-wrap');
    const left = el('div', 'slds-col slds-size_1-of-1 slds-large-size_7-of-12');
    const details = el('article', 'slds-card');
    details.innerHTML = `<div class="slds-card__header"><h2 class="slds-card__header-title">Details</h2></div>
<div class="slds-card__body slds-card__body_inner"><dl class="slds-list_horizontal slds-wrap"></dl></div>`;
    const dl = details.querySelector('dl');
    for (const [label, value] of [
        ['Name', record.name],
        ['Type', objectApiName],
        ['Record Id', recordId],
        ['Detail', record.detail ?? '—']
    ]) {
        dl.append(el('dt', 'slds-item_label slds-text-color_weak', label), el('dd', 'slds-item_detail', value));
    }
    left.append(details);
    const right = el('div', 'slds-col slds-size_1-of-1 slds-large-size_5-of-12');
    right.append(panel);
    grid.append(left, right);
    main.replaceChildren(header, grid);
    document.title = `${record.name} · ${objectApiName}`;
}
