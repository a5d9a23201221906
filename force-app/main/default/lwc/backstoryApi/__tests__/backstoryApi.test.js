import {
    request,
    get,
    getText,
    post,
    put,
    patch,
    del,
    normalizeError,
    canAssignPermissionSet,
    assignPermissionSet,
    fieldLabels
} from 'c/backstoryApi';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import canAssignApex from '@salesforce/apex/BackstoryPermissionSetup.canAssignPermissionSet';
import assignApex from '@salesforce/apex/BackstoryPermissionSetup.assignPermissionSet';
import fieldLabelsApex from '@salesforce/apex/BackstoryPermissionSetup.fieldLabels';

jest.mock('@salesforce/apex/BackstoryApiProxy.send', () => ({ default: jest.fn() }), { virtual: true });

describe('c-backstory-api', () => {
    afterEach(() => {
        jest.clearAllMocks();
    });

    it('sends the method, path and JSON body through the Apex proxy and parses the answer', async () => {
        send.mockResolvedValue('{"id":"prf_1"}');
        await expect(patch('/v1/profiles/prf_1', { name: 'Sales' })).resolves.toEqual({ id: 'prf_1' });
        expect(send).toHaveBeenCalledWith({ method: 'PATCH', path: '/v1/profiles/prf_1', body: '{"name":"Sales"}' });
    });

    it('getText returns a non-JSON answer as it came (the CSV export) and normalises failures', async () => {
        send.mockResolvedValueOnce('First Name,Last Name\r\nAda,Lovelace\r\n');
        await expect(getText('/v1/users/export')).resolves.toBe('First Name,Last Name\r\nAda,Lovelace\r\n');
        expect(send).toHaveBeenCalledWith({ method: 'GET', path: '/v1/users/export', body: null });
        send.mockRejectedValueOnce({
            body: { message: JSON.stringify({ status: 403, code: 'forbidden', message: 'admins only', details: [] }) }
        });
        await expect(getText('/v1/users/export')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    });

    it('has one helper per method, with a body only where the method carries one', async () => {
        send.mockResolvedValue('{}');
        await get('/v1/org');
        await post('/v1/teams', { name: 'West' });
        await put('/v1/org/mode', { mode: 'manual' });
        await del('/v1/teams/t1');
        await request('POST', '/v1/org/sync');
        expect(send.mock.calls.map(([params]) => params)).toEqual([
            { method: 'GET', path: '/v1/org', body: null },
            { method: 'POST', path: '/v1/teams', body: '{"name":"West"}' },
            { method: 'PUT', path: '/v1/org/mode', body: '{"mode":"manual"}' },
            { method: 'DELETE', path: '/v1/teams/t1', body: null },
            { method: 'POST', path: '/v1/org/sync', body: null }
        ]);
    });

    it('answers null for an empty answer (204 No Content)', async () => {
        send.mockResolvedValue('');
        await expect(del('/v1/profiles/prf_1')).resolves.toBeNull();
    });

    it('normalises the middleware error the proxy throws', async () => {
        send.mockRejectedValue({
            body: {
                message:
                    '{"status":409,"code":"conflict","message":"3 users remain","details":[{"path":"id","message":"in use"}]}'
            }
        });
        await expect(get('/v1/profiles')).rejects.toEqual({
            status: 409,
            code: 'conflict',
            message: '3 users remain',
            details: [{ path: 'id', message: 'in use' }]
        });
    });

    it('rejects an answer that is not JSON with a normalised error', async () => {
        send.mockResolvedValue('<html>Service Unavailable</html>');
        await expect(get('/v1/org')).rejects.toEqual({
            status: 0,
            code: 'invalid_response',
            message: 'The Backstory middleware did not answer JSON',
            details: []
        });
    });

    it('keeps a platform error message that is not JSON', () => {
        expect(normalizeError({ body: { message: 'Unable to connect' } })).toEqual({
            status: 0,
            code: 'unknown',
            message: 'Unable to connect',
            details: []
        });
        expect(normalizeError(new Error('boom')).message).toBe('boom');
        expect(normalizeError('offline').message).toBe('offline');
    });

    it('fills what a partial error JSON leaves out', () => {
        expect(normalizeError({ body: { message: '{"message":"Nope"}' } })).toEqual({
            status: 0,
            code: 'unknown',
            message: 'Nope',
            details: []
        });
    });

    describe('PERM-8 BackstoryPermissionSetup (in Salesforce, as the admin)', () => {
        afterEach(() => {
            canAssignApex.mockReset();
            assignApex.mockReset();
            fieldLabelsApex.mockReset();
        });

        it('canAssignPermissionSet is true only when Apex says true, and false when it fails', async () => {
            canAssignApex.mockResolvedValueOnce(true);
            await expect(canAssignPermissionSet()).resolves.toBe(true);
            canAssignApex.mockResolvedValueOnce(null);
            await expect(canAssignPermissionSet()).resolves.toBe(false);
            canAssignApex.mockRejectedValueOnce({ body: { message: 'no access to BackstoryPermissionSetup' } });
            await expect(canAssignPermissionSet()).resolves.toBe(false);
        });

        it('assignPermissionSet sends the user id and normalises a refusal', async () => {
            assignApex.mockResolvedValueOnce({ assigned: true, created: true });
            await expect(assignPermissionSet('005A')).resolves.toEqual({ assigned: true, created: true });
            expect(assignApex).toHaveBeenCalledWith({ userId: '005A' });
            assignApex.mockRejectedValueOnce({
                body: { message: JSON.stringify({ status: 403, code: 'forbidden', message: 'No right', details: [] }) }
            });
            await expect(assignPermissionSet('005A')).rejects.toEqual({
                status: 403,
                code: 'forbidden',
                message: 'No right',
                details: []
            });
        });

        it('fieldLabels asks only when there are names, and answers {} on failure', async () => {
            await expect(fieldLabels([])).resolves.toEqual({});
            expect(fieldLabelsApex).not.toHaveBeenCalled();
            fieldLabelsApex.mockResolvedValueOnce({ 'Opportunity.StageName': 'Stage' });
            await expect(fieldLabels(['Opportunity.StageName'])).resolves.toEqual({ 'Opportunity.StageName': 'Stage' });
            expect(fieldLabelsApex).toHaveBeenCalledWith({ fields: ['Opportunity.StageName'] });
            fieldLabelsApex.mockRejectedValueOnce(new Error('boom'));
            await expect(fieldLabels(['Account.Industry'])).resolves.toEqual({});
        });
    });
});
