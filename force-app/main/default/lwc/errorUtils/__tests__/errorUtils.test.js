import { describeError, fieldMessages, messageUnder } from 'c/errorUtils';

describe('c/errorUtils', () => {
    const error = {
        code: 'validation_failed',
        message: 'two problems',
        details: [
            { path: 'name', message: 'is required' },
            { path: 'name', message: 'is too short' },
            { path: 'matching.eligibility.Opportunity.groups.0.filters.1.value', message: 'must be one value' },
            { message: 'a detail without a path' }
        ]
    };

    it('keys field messages by their API path, joining repeats', () => {
        expect(fieldMessages(error)).toEqual({
            name: 'is required; is too short',
            'matching.eligibility.Opportunity.groups.0.filters.1.value': 'must be one value'
        });
        expect(fieldMessages(null)).toEqual({});
    });

    it('finds the first message under a group or row', () => {
        const messages = fieldMessages(error);
        expect(messageUnder(messages, 'matching.eligibility.Opportunity.groups.0')).toBe('must be one value');
        expect(messageUnder(messages, 'matching.eligibility.Opportunity.groups.1')).toBe('');
        // A prefix matches whole segments only: groups.0 is not groups.01.
        expect(messageUnder({ 'a.01': 'x' }, 'a.0')).toBe('');
    });

    it('describes an unknown code with the generic title and keeps pathless details', () => {
        const described = describeError({ code: 'teapot', message: 'short and stout', details: error.details });
        expect(described.title).toBe('c.Backstory_Error_Unknown');
        expect(described.details.map((d) => d.field)).toEqual(['name', 'name', expect.any(String), '']);
        expect(describeError(undefined)).toBeNull();
    });
});
