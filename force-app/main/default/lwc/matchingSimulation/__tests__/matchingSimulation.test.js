import { createElement } from '@lwc/engine-dom';
import MatchingSimulation from 'c/matchingSimulation';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import { flushPromises, settle } from 'test/jest-utils/flushPromises';
import { apiError, routeApi } from 'test/jest-utils/apiRoutes';
import { profile } from 'test/jest-utils/fixtures';

const SAVED = profile();
const DRAFT = {
    activity: SAVED.activity,
    matching: { ...SAVED.matching, minScore: 80 },
    notifications: SAVED.notifications
};
const candidate = (recordId, type, name, score, rank, extra = {}) => ({
    recordId,
    type,
    name,
    score,
    signals: [{ name: 'participant_email', points: 40, detail: '' }],
    eligible: true,
    eligibilityReason: 'all records eligible',
    rank,
    rankingReason: 'by score',
    ...extra
});
const WITH_SAVED = {
    who: { recordId: '003A', type: 'Contact', score: 60 },
    what: { recordId: '006A', type: 'Opportunity', score: 55 },
    candidates: [
        candidate('003A', 'Contact', 'Ada Lovelace', 60, 1),
        candidate('006A', 'Opportunity', 'Acme renewal', 55, 2)
    ]
};
const WITH_DRAFT = {
    who: null,
    what: null,
    candidates: [
        candidate('003A', 'Contact', 'Ada Lovelace', 60, null, { rankingReason: 'below the minimum score 80' })
    ]
};

function mount() {
    const element = createElement('c-matching-simulation', { is: MatchingSimulation });
    element.profileId = 'prf_sales';
    element.draft = DRAFT;
    document.body.appendChild(element);
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const change = (el, value) => el.dispatchEvent(new CustomEvent('change', { detail: { value } }));

describe('c-matching-simulation', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('MATCH-5 dry-runs a typed sample with the unsaved and the saved settings and says what changes', async () => {
        const calls = routeApi(send, {
            'GET /v1/activities': apiError(404, 'not_found', 'no list'),
            'GET /v1/users': { items: [{ email: 'rep@demo.example' }], nextCursor: null },
            'POST /v1/matching/preview': (body) => (body.profile ? WITH_DRAFT : WITH_SAVED)
        });
        const element = mount();
        await settle();
        expect($(element, 'source')).toBeNull();
        expect($(element, 'owner').value).toBe('rep@demo.example');
        change($(element, 'subject'), 'Renewal call');
        change($(element, 'participants'), 'ada@acme.example, bob@acme.example');
        await flushPromises();
        $(element, 'run').click();
        await settle();
        const previews = calls.filter((c) => c.path === '/v1/matching/preview');
        expect(previews).toHaveLength(2);
        expect(previews[0].body).toMatchObject({
            profileId: 'prf_sales',
            profile: { matching: { minScore: 80 } },
            activity: {
                type: 'meeting',
                ownerEmail: 'rep@demo.example',
                subject: 'Renewal call',
                participants: [{ email: 'ada@acme.example' }, { email: 'bob@acme.example' }]
            }
        });
        expect(previews[1].body.profile).toBeUndefined();
        expect($(element, 'verdict').textContent).toBe('c.Backstory_Simulate_Changed');
        const unsaved = $(element, 'unsaved');
        const saved = $(element, 'saved');
        expect(unsaved.querySelector('[data-id="who"]').textContent).toBe('c.Backstory_No_Match');
        expect(saved.querySelector('[data-id="who"]').textContent).toBe('Ada Lovelace (Contact, 60)');
        expect(saved.querySelector('[data-id="what"]').textContent).toBe('Acme renewal (Opportunity, 55)');
        const rows = unsaved.querySelector('lightning-datatable').data;
        expect(rows[0]).toMatchObject({ name: 'Ada Lovelace', rankText: '–' });
        expect(rows[0].reasons).toContain('participant_email +40');
        expect(rows[0].reasons).toContain('below the minimum score 80');
        await expect(element).toBeAccessible();
    });

    it('says nothing changes when both runs agree', async () => {
        routeApi(send, {
            'GET /v1/activities': { items: [], nextCursor: null },
            'GET /v1/users': { items: [], nextCursor: null },
            'POST /v1/matching/preview': WITH_SAVED
        });
        const element = mount();
        await settle();
        $(element, 'run').click();
        await settle();
        expect($(element, 'verdict').textContent).toBe('c.Backstory_Simulate_Same');
    });

    it('offers a recent activity as the sample when the org has some', async () => {
        const recent = {
            id: 'act_1',
            type: 'email',
            subject: 'Pricing follow-up',
            ownerEmail: 'rep@demo.example',
            startsAt: '2026-11-30T10:00:00.000Z',
            participants: [{ email: 'ada@acme.example', name: 'Ada' }]
        };
        const calls = routeApi(send, {
            'GET /v1/activities': { items: [recent], nextCursor: null },
            'GET /v1/users': { items: [], nextCursor: null },
            'POST /v1/matching/preview': WITH_SAVED
        });
        const element = mount();
        await settle();
        expect($(element, 'source').value).toBe('recent');
        expect($(element, 'recent').options).toEqual([{ value: 'act_1', label: 'Pricing follow-up (email)' }]);
        $(element, 'run').click();
        await settle();
        expect(calls.find((c) => c.method === 'POST').body.activity).toEqual({
            type: 'email',
            ownerEmail: 'rep@demo.example',
            subject: 'Pricing follow-up',
            startsAt: '2026-11-30T10:00:00.000Z',
            participants: [{ email: 'ada@acme.example', name: 'Ada' }]
        });
        await expect(element).toBeAccessible();
    });

    it('shows why the simulation was refused (an unsaved filter without a field)', async () => {
        routeApi(send, {
            'GET /v1/activities': apiError(404, 'not_found', 'no list'),
            'GET /v1/users': { items: [], nextCursor: null },
            'POST /v1/matching/preview': apiError(400, 'validation_failed', 'profile.matching: invalid', [
                { path: 'profile.matching.eligibility.Opportunity.groups.0.filters.0.field', message: 'is required' }
            ])
        });
        const element = mount();
        await settle();
        $(element, 'run').click();
        await settle();
        expect(element.shadowRoot.querySelector('c-error-panel').error.details).toHaveLength(1);
        expect($(element, 'verdict')).toBeNull();
        await expect(element).toBeAccessible();
    });
});
