import { createElement } from '@lwc/engine-dom';
import FollowUpQuestions from 'c/followUpQuestions';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import Toast from 'lightning/toast';
import { CurrentPageReference } from 'lightning/navigation';
import { flushPromises } from 'test/jest-utils/flushPromises';
import { apexError } from 'test/jest-mocks/apexError';

// MATCH-8 in the rep's Lightning: the Follow-ups tab, the Event record page, and one input per
// field type. The Apex proxy is force-app/test/jest-mocks/apex/BackstoryApiProxy.send.js.

const q = (id, type, extra = {}) => ({
    id,
    category: 'Meeting',
    text: `Question ${id}`,
    field: `Event.F_${id}__c`,
    label: `Field ${id}`,
    type,
    required: false,
    picklistValues: null,
    maxLength: null,
    ...extra
});

const QUESTIONS = [
    q('text', 'string', { maxLength: 255, required: true }),
    q('area', 'textarea', { maxLength: 32768 }),
    q('pick', 'picklist', { picklistValues: ['Busy', 'Free'] }),
    q('multi', 'multipicklist', { picklistValues: ['A', 'B', 'C'] }),
    q('check', 'boolean'),
    q('date', 'date'),
    q('num', 'double'),
    q('money', 'currency'),
    q('call', 'string', { category: 'Call' })
];

const followUp = (id, over = {}) => ({
    id,
    activityId: `act_${id}`,
    status: 'open',
    meeting: {
        subject: `Meeting ${id}`,
        startsAt: '2026-11-30T15:00:00.000Z',
        endsAt: '2026-11-30T16:00:00.000Z',
        whatId: '006000000000001AAA',
        whatName: 'Acme renewal',
        eventId: '00U000000000001AAA'
    },
    categoryField: 'Event.Type',
    categories: ['Call', 'Meeting'],
    category: null,
    questions: QUESTIONS,
    answers: [],
    createdAt: '2026-11-30T16:00:00.000Z',
    answeredAt: null,
    ...over
});

const page = (items) =>
    JSON.stringify({ items, nextCursor: null, openCount: items.filter((i) => i.status === 'open').length });

function mount(props = {}) {
    const element = createElement('c-follow-up-questions', { is: FollowUpQuestions });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}
const $ = (el, id) => el.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (el, id) => [...el.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const lastCall = () => send.mock.calls[send.mock.calls.length - 1][0];

describe('c-follow-up-questions', () => {
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

    it('MATCH-8 lists my open follow-ups newest first with a count on the tab', async () => {
        send.mockResolvedValue(page([followUp('a'), followUp('b')]));
        const el = mount();
        await flushPromises();
        expect(send).toHaveBeenCalledWith({ method: 'GET', path: '/v1/follow-ups?status=open', body: null });
        expect($$(el, 'follow-up')).toHaveLength(2);
        expect(el.shadowRoot.querySelector('lightning-card').title).toBe('c.Backstory_Follow_Ups_Title (2)');
        expect($(el, 'spinner')).toBeNull();
        await expect(el).toBeAccessible();
    });

    it('shows the empty state when nothing is open', async () => {
        send.mockResolvedValue(page([]));
        const el = mount();
        await flushPromises();
        expect($(el, 'empty').textContent).toContain('c.Backstory_Follow_Ups_Empty');
        await expect(el).toBeAccessible();
    });

    it('shows the error with a retry that loads again', async () => {
        send.mockRejectedValueOnce(apexError(502, 'unreachable', 'The Backstory middleware could not be reached'));
        const el = mount();
        await flushPromises();
        const panel = $(el, 'error');
        expect(panel.error).toMatchObject({ code: 'unreachable' });
        await expect(el).toBeAccessible();
        send.mockResolvedValueOnce(page([followUp('a')]));
        panel.dispatchEvent(new CustomEvent('retry'));
        await flushPromises();
        expect($(el, 'error')).toBeNull();
        expect($$(el, 'follow-up')).toHaveLength(1);
    });

    it('opens the follow-up a notification links to (c__activityId) and renders one input per field type', async () => {
        send.mockResolvedValue(page([followUp('a')]));
        const el = mount();
        await flushPromises();
        send.mockResolvedValue(page([followUp('a')]));
        // eslint-disable-next-line @lwc/lwc/no-unexpected-wire-adapter-usages -- the test adapter's emit
        CurrentPageReference.emit({ type: 'standard__navItemPage', state: { c__activityId: 'act_a' } });
        await flushPromises();
        expect(lastCall()).toEqual({ method: 'GET', path: '/v1/follow-ups?activityId=act_a', body: null });
        const form = $(el, 'form');
        expect(form).not.toBeNull();
        expect($(el, 'category').value).toBe('Call');
        // Pick "Meeting": its eight questions, one input each by type.
        $(el, 'category').dispatchEvent(new CustomEvent('change', { detail: { value: 'Meeting' } }));
        await flushPromises();
        const types = $$(el, 'question').map((d) => [
            d.dataset.type,
            d.querySelector('[data-question]').tagName.toLowerCase()
        ]);
        expect(types).toEqual([
            ['string', 'lightning-input'],
            ['textarea', 'lightning-textarea'],
            ['picklist', 'lightning-combobox'],
            ['multipicklist', 'lightning-checkbox-group'],
            ['boolean', 'lightning-input'],
            ['date', 'lightning-input'],
            ['double', 'lightning-input'],
            ['currency', 'lightning-input']
        ]);
        const inputs = $$(el, 'question').map((d) => d.querySelector('[data-question]'));
        expect(inputs[0].required).toBe(true);
        expect(inputs[0].maxLength).toBe(255);
        expect(inputs[2].options).toEqual([
            { label: 'Busy', value: 'Busy' },
            { label: 'Free', value: 'Free' }
        ]);
        expect(inputs[4].type).toBe('checkbox');
        expect(inputs[5].type).toBe('date');
        expect(inputs[6].type).toBe('number');
        expect(inputs[7].formatter).toBe('currency');
        expect($$(el, 'counter').map((c) => c.textContent)).toEqual([
            'c.Backstory_Characters_Used',
            'c.Backstory_Characters_Used'
        ]);
        await expect(el).toBeAccessible();
    });

    it('saves the answers, converts each input, and says so with a toast', async () => {
        send.mockResolvedValue(page([followUp('a', { category: 'Meeting' })]));
        const el = mount({ recordId: '00U000000000001AAA' });
        await flushPromises();
        expect(send.mock.calls[0][0].path).toBe('/v1/follow-ups?eventId=00U000000000001AAA');
        const input = (type) =>
            $$(el, 'question')
                .find((d) => d.dataset.type === type)
                .querySelector('[data-question]');
        input('string').value = 'Send the proposal';
        input('string').dispatchEvent(new CustomEvent('change', { detail: { value: 'Send the proposal' } }));
        input('picklist').dispatchEvent(new CustomEvent('change', { detail: { value: 'Free' } }));
        input('multipicklist').dispatchEvent(new CustomEvent('change', { detail: { value: ['A', 'C'] } }));
        input('boolean').checked = true;
        input('boolean').dispatchEvent(new CustomEvent('change', { detail: { checked: true } }));
        input('date').dispatchEvent(new CustomEvent('change', { detail: { value: '2026-12-24' } }));
        input('currency').dispatchEvent(new CustomEvent('change', { detail: { value: '1200.50' } }));
        await flushPromises();
        send.mockResolvedValueOnce(
            JSON.stringify({
                ...followUp('a'),
                status: 'answered',
                category: 'Meeting',
                sync: { state: 'written', salesforceId: '00U', reason: null }
            })
        );
        $(el, 'save').click();
        await flushPromises();
        const call = lastCall();
        expect(call.method).toBe('POST');
        expect(call.path).toBe('/v1/follow-ups/a/answers');
        expect(JSON.parse(call.body)).toEqual({
            category: 'Meeting',
            answers: [
                { questionId: 'text', value: 'Send the proposal' },
                { questionId: 'area', value: null },
                { questionId: 'pick', value: 'Free' },
                { questionId: 'multi', value: ['A', 'C'] },
                { questionId: 'check', value: true },
                { questionId: 'date', value: '2026-12-24' },
                { questionId: 'num', value: null },
                { questionId: 'money', value: '1200.50' }
            ]
        });
        expect(Toast.show).toHaveBeenCalledTimes(1);
        expect(Toast.show.mock.calls[0][0]).toMatchObject({ label: 'c.Backstory_Answers_Saved', variant: 'success' });
    });

    it('shows a refused answer beside the question that caused it', async () => {
        send.mockResolvedValue(page([followUp('a', { category: 'Meeting' })]));
        const el = mount({ recordId: '00U000000000001AAA' });
        await flushPromises();
        send.mockRejectedValueOnce(
            apexError(400, 'validation_failed', 'answers.2.value: "Question pick": Sleeping is not a value', [
                {
                    path: 'answers.2.value',
                    message: '"Question pick": Sleeping is not a value of the picklist (Busy, Free)'
                }
            ])
        );
        $(el, 'save').click();
        await flushPromises();
        const pick = $$(el, 'question').find((d) => d.dataset.type === 'picklist');
        expect(pick.querySelector('[data-id="question-error"]').textContent).toContain('Sleeping is not a value');
        expect($$(el, 'question-error')).toHaveLength(1);
        expect($(el, 'error').error).toMatchObject({ code: 'validation_failed' });
        await expect(el).toBeAccessible();
    });

    it('on an Event without a follow-up for me, says so', async () => {
        send.mockResolvedValue(page([]));
        const el = mount({ recordId: '00U000000000009AAA' });
        await flushPromises();
        expect($(el, 'empty').textContent).toContain('c.Backstory_Follow_Up_None_For_Meeting');
        expect(el.shadowRoot.querySelector('lightning-card').title).toBe('c.Backstory_Follow_Ups_Title');
        await expect(el).toBeAccessible();
    });

    it('a category without questions says that saving records the category', async () => {
        send.mockResolvedValue(page([followUp('a', { questions: [], category: 'Call' })]));
        const el = mount({ recordId: '00U000000000001AAA' });
        await flushPromises();
        expect($(el, 'no-questions')).not.toBeNull();
        await expect(el).toBeAccessible();
    });
});
