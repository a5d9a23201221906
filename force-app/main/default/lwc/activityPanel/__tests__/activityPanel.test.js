import { createElement } from '@lwc/engine-dom';
import ActivityPanel from 'c/activityPanel';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import Toast from 'lightning/toast';
import { flushPromises } from 'test/jest-utils/flushPromises';
import { apexError } from 'test/jest-mocks/apexError';

// MATCH-11 (the record's activity), MATCH-5 ("Why this match") and MATCH-10 (Edit Match) on a
// record page. The Apex proxy is force-app/test/jest-mocks/apex/BackstoryApiProxy.send.js.

const OPP = '006000000000001AAA';
const OTHER_OPP = '006000000000002AAA';
const CONTACT = '003000000000001AAA';
const LEAD = '00Q000000000001AAA';

const candidate = (recordId, type, name, score, rank, signals = []) => ({
    recordId,
    type,
    name,
    score,
    signals,
    eligible: true,
    eligibilityReason: 'all records of this type are eligible',
    rank,
    rankingReason: 'by score'
});

const activity = (id, over = {}) => ({
    id,
    externalId: `ext-${id}`,
    type: 'meeting',
    ownerUserId: 'usr_1',
    ownerEmail: 'sam.patel@demo.backstory.local',
    ownerName: 'Sam Patel',
    subject: `Renewal call ${id}`,
    startsAt: '2026-11-30T15:00:00.000Z',
    endsAt: '2026-11-30T16:00:00.000Z',
    participants: [{ email: 'buyer@acme.example' }],
    who: { recordId: CONTACT, type: 'Contact', name: 'Pat Buyer' },
    what: { recordId: OPP, type: 'Opportunity', name: 'Acme renewal' },
    match: {
        who: { recordId: CONTACT, type: 'Contact', score: 60 },
        what: { recordId: OPP, type: 'Opportunity', score: 80 },
        override: false,
        candidates: [
            candidate(OPP, 'Opportunity', 'Acme renewal', 80, 1, [
                { name: 'open_opportunity', points: 30, detail: 'Open opportunity on the account' }
            ]),
            candidate(CONTACT, 'Contact', 'Pat Buyer', 60, 2, [
                { name: 'participant_email', points: 60, detail: 'buyer@acme.example is this contact' }
            ]),
            candidate(OTHER_OPP, 'Opportunity', 'Acme expansion', 40, 3)
        ]
    },
    sync: { state: 'written', salesforceId: '00U000000000001AAA', reason: null },
    canEditMatch: true,
    updatedAt: '2026-11-30T16:00:00.000Z',
    ...over
});

const page = (items) => JSON.stringify({ items, nextCursor: null });

function mount() {
    const element = createElement('c-activity-panel', { is: ActivityPanel });
    element.recordId = OPP;
    element.objectApiName = 'Opportunity';
    document.body.appendChild(element);
    return element;
}
const $ = (el, id) => el.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (el, id) => [...el.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const lastCall = () => send.mock.calls[send.mock.calls.length - 1][0];

describe('c-activity-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('shows a spinner while loading, and is accessible', async () => {
        send.mockReturnValue(new Promise(() => {}));
        const el = mount();
        await flushPromises();
        expect($(el, 'spinner')).not.toBeNull();
        await expect(el).toBeAccessible();
    });

    it("MATCH-11 lists the record's activity with who, what and sync state", async () => {
        send.mockResolvedValue(
            page([
                activity('a'),
                activity('b', {
                    canEditMatch: false,
                    match: { ...activity('b').match, override: true },
                    sync: {
                        state: 'skipped',
                        salesforceId: null,
                        reason: "Push Data is off in the owner's profile (CP-4)"
                    }
                })
            ])
        );
        const el = mount();
        await flushPromises();
        expect(send).toHaveBeenCalledWith({
            method: 'GET',
            path: `/v1/activities?recordId=${OPP}&limit=50`,
            body: null
        });
        const rows = $$(el, 'activity');
        expect(rows).toHaveLength(2);
        expect(rows[0].querySelector('[data-id="who"]').textContent).toBe('Pat Buyer');
        expect(rows[0].querySelector('[data-id="what"]').textContent).toBe('Acme renewal');
        expect(rows[0].querySelector('[data-id="sync"]').textContent).toBe('c.Backstory_Sync_Written');
        expect(rows[1].querySelector('[data-id="sync"]').textContent).toBe('c.Backstory_Sync_Skipped');
        expect(rows[1].querySelector('[data-id="sync"]').title).toContain('Push Data is off');
        expect(rows[1].querySelector('[data-id="override"]')).not.toBeNull();
        // Edit Match only where the caller is the owner or an admin.
        expect(rows[0].querySelector('[data-id="edit"]')).not.toBeNull();
        expect(rows[1].querySelector('[data-id="edit"]')).toBeNull();
        await expect(el).toBeAccessible();
    });

    it('shows the empty state', async () => {
        send.mockResolvedValue(page([]));
        const el = mount();
        await flushPromises();
        expect($(el, 'empty').textContent).toContain('c.Backstory_Activity_Empty');
        await expect(el).toBeAccessible();
    });

    it('shows the error with a retry', async () => {
        send.mockRejectedValueOnce(apexError(403, 'forbidden', 'This Backstory user is suspended'));
        const el = mount();
        await flushPromises();
        expect($(el, 'error').error).toMatchObject({ code: 'forbidden' });
        await expect(el).toBeAccessible();
        send.mockResolvedValueOnce(page([activity('a')]));
        $(el, 'error').dispatchEvent(new CustomEvent('retry'));
        await flushPromises();
        expect($$(el, 'activity')).toHaveLength(1);
    });

    it('MATCH-5 "Why this match" shows the ranked candidates with signals, points, eligibility and ranking reasons', async () => {
        send.mockResolvedValue(page([activity('a')]));
        const el = mount();
        await flushPromises();
        $(el, 'why').click();
        await flushPromises();
        const candidates = $$(el, 'candidate');
        expect(candidates.map((c) => c.querySelector('.slds-text-title_bold').textContent)).toEqual([
            'Acme renewal',
            'Pat Buyer',
            'Acme expansion'
        ]);
        expect(candidates[0].querySelector('[data-id="signal"]').textContent).toBe(
            'Open opportunity on the account: c.Backstory_Points'
        );
        expect(candidates[0].querySelector('[data-id="eligibility"]').textContent).toContain('eligible');
        expect(candidates[0].querySelector('[data-id="ranking"]').textContent).toBe('by score');
        expect($(el, 'why').getAttribute('aria-expanded')).toBe('true');
        await expect(el).toBeAccessible();
        $(el, 'why').click();
        await flushPromises();
        expect($(el, 'why-panel')).toBeNull();
    });

    it('MATCH-10 Edit Match offers the ranked candidates and a record search, and saves the override', async () => {
        send.mockResolvedValue(page([activity('a')]));
        const el = mount();
        await flushPromises();
        $(el, 'edit').click();
        await flushPromises();
        expect($(el, 'dialog')).not.toBeNull();
        expect($(el, 'what-picker').options.map((o) => o.value)).toEqual(['', OPP, OTHER_OPP]);
        expect($(el, 'who-picker').value).toBe(CONTACT);
        await expect(el).toBeAccessible();

        // Search the replica and pick a result as Related To.
        send.mockResolvedValueOnce(
            JSON.stringify({
                items: [{ recordId: '001000000000009AAA', type: 'Account', name: 'Globex', detail: null }]
            })
        );
        $(el, 'search').dispatchEvent(new CustomEvent('change', { detail: { value: 'Glo' } }));
        $(el, 'search-button').click();
        await flushPromises();
        expect(lastCall()).toEqual({ method: 'GET', path: '/v1/crm/records?q=Glo&limit=10', body: null });
        expect($$(el, 'result')).toHaveLength(1);
        $(el, 'use').click();
        await flushPromises();
        expect($(el, 'what-picker').value).toBe('001000000000009AAA');

        send.mockResolvedValueOnce(JSON.stringify(activity('a')));
        send.mockResolvedValueOnce(page([activity('a', { match: { ...activity('a').match, override: true } })]));
        $(el, 'save').click();
        await flushPromises();
        expect(send.mock.calls.find((c) => c[0].method === 'PUT')[0]).toEqual({
            method: 'PUT',
            path: '/v1/activities/a/match',
            body: JSON.stringify({ whoId: CONTACT, whatId: '001000000000009AAA' })
        });
        expect(Toast.show).toHaveBeenCalledTimes(1);
        expect(Toast.show.mock.calls[0][0]).toMatchObject({ label: 'c.Backstory_Match_Saved', variant: 'success' });
        expect($(el, 'dialog')).toBeNull();
        expect($(el, 'override')).not.toBeNull();
    });

    it('MATCH-10 a lead as Name clears and disables Related To; a refusal shows beside the field', async () => {
        send.mockResolvedValue(page([activity('a')]));
        const el = mount();
        await flushPromises();
        $(el, 'edit').click();
        await flushPromises();
        send.mockResolvedValueOnce(
            JSON.stringify({ items: [{ recordId: LEAD, type: 'Lead', name: 'Lee Lead', detail: 'Initech' }] })
        );
        $(el, 'search').dispatchEvent(new CustomEvent('change', { detail: { value: 'Lee' } }));
        $(el, 'search-button').click();
        await flushPromises();
        $(el, 'use').click();
        await flushPromises();
        expect($(el, 'who-picker').value).toBe(LEAD);
        expect($(el, 'what-picker').value).toBe('');
        expect($(el, 'what-picker').disabled).toBe(true);
        send.mockRejectedValueOnce(
            apexError(400, 'validation_failed', 'whoId: is a converted lead', [
                { path: 'whoId', message: 'is a converted lead' }
            ])
        );
        $(el, 'save').click();
        await flushPromises();
        expect($(el, 'who-error').textContent).toBe('is a converted lead');
        expect($(el, 'dialog')).not.toBeNull();
        await expect(el).toBeAccessible();
        $(el, 'dialog').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
        await flushPromises();
        expect($(el, 'dialog')).toBeNull();
    });
});
