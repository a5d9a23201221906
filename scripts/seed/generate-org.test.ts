import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { companyAt, generateOrg, parseArgs, PLAN_OBJECTS, writeTreePlan, type OrgSize } from './generate-org';
import { QUALIFIERS, ROOTS, SECTORS, TLDS } from './names';

const COMBINATIONS = QUALIFIERS.length * ROOTS.length * SECTORS.length * TLDS.length;

const SIZE: OrgSize = {
    accounts: 300,
    contactsPerAccount: 4,
    leads: 100,
    opportunitiesPerAccount: 1.5,
    users: 12,
    seed: 5,
    today: new Date('2026-06-01T00:00:00Z')
};

describe('generateOrg', () => {
    it('is deterministic for a seed and differs for another seed', () => {
        expect(generateOrg(SIZE)).toEqual(generateOrg(SIZE));
        const other = generateOrg({ ...SIZE, seed: 6 });
        expect(other.Account.map((a) => a.fields.Website)).not.toEqual(
            generateOrg(SIZE).Account.map((a) => a.fields.Website)
        );
    });

    it('makes the requested number of each object', () => {
        const org = generateOrg(SIZE);
        expect(org.Account).toHaveLength(300);
        expect(org.Contact).toHaveLength(1200);
        expect(org.Lead).toHaveLength(100);
        expect(org.Opportunity).toHaveLength(450);
        expect(org.users).toHaveLength(12);
        expect(org.OpportunityContactRole.length).toBeGreaterThanOrEqual(450);
        expect(generateOrg({ ...SIZE, opportunitiesPerAccount: 0.25 }).Opportunity).toHaveLength(75);
        expect(generateOrg({ ...SIZE, accounts: 0, leads: 0 })).toMatchObject({
            Account: [],
            Lead: [],
            Opportunity: []
        });
    });

    it('puts accounts on unique domains and contacts on their account’s domain, with unique emails', () => {
        const org = generateOrg({
            ...SIZE,
            accounts: 20000,
            contactsPerAccount: 2,
            leads: 0,
            opportunitiesPerAccount: 0
        });
        const domains = org.Account.map((a) => new URL(String(a.fields.Website)).hostname.replace(/^www\./, ''));
        expect(new Set(domains).size).toBe(domains.length);
        expect(new Set(org.Account.map((a) => a.fields.Name)).size).toBe(org.Account.length);
        const byRef = new Map(org.Account.map((a, i) => [a.referenceId, domains[i]]));
        for (const c of org.Contact) {
            expect(String(c.fields.Email).endsWith(`@${byRef.get(c.refs.AccountId ?? '')}`)).toBe(true);
        }
        expect(new Set(org.Contact.map((c) => c.fields.Email)).size).toBe(org.Contact.length);
    });

    it('keeps companies unique past the word combinations by numbering the domain', () => {
        const seen = new Set<string>();
        for (let i = 0; i < 5; i++) seen.add(companyAt(i * COMBINATIONS + 17, 1).domain);
        expect(seen.size).toBe(5);
        const first = companyAt(17, 1);
        const third = companyAt(COMBINATIONS * 2 + 17, 1);
        expect(third.domain).toBe(first.domain.replace('.', '3.'));
        expect(third.name).toBe(`${first.name} 3`);
    });

    it('gives a third of leads free-mail addresses and the others company domains, none converted', () => {
        const org = generateOrg(SIZE);
        const free = org.Lead.filter((l) =>
            /@(gmail|yahoo|outlook|hotmail|icloud|aol)\.com$|@proton\.me$/.test(String(l.fields.Email))
        );
        expect(free).toHaveLength(35);
        for (const l of free) expect(l.fields.Website).toBeNull();
        expect(org.Lead.every((l) => l.fields.Status !== 'Closed - Converted' && l.fields.Company)).toBe(true);
        const accountDomains = new Set(org.Account.map((a) => String(a.fields.Website).replace('https://www.', '')));
        const atAccounts = org.Lead.filter((l) => accountDomains.has(String(l.fields.Email).split('@')[1] ?? ''));
        expect(atAccounts).toHaveLength(10);
        expect(new Set(org.Lead.map((l) => l.fields.Email)).size).toBe(org.Lead.length);
    });

    it('spreads opportunities: closed ones in the past, open ones mostly ahead, types by account type', () => {
        const org = generateOrg(SIZE);
        const type = new Map(org.Account.map((a) => [a.referenceId, String(a.fields.Type)]));
        for (const o of org.Opportunity) {
            const stage = String(o.fields.StageName);
            const close = String(o.fields.CloseDate);
            if (stage.startsWith('Closed')) expect(close < '2026-06-01').toBe(true);
            else expect(close >= '2026-05-12').toBe(true);
            const accountType = type.get(o.refs.AccountId ?? '') ?? '';
            if (accountType.includes('Partner')) expect(o.fields.Type).toBe('Partner');
            if (accountType === 'Prospect') expect(o.fields.Type).toBe('New Business');
            expect(Number(o.fields.Amount)).toBeGreaterThanOrEqual(5000);
        }
        const stages = new Set(org.Opportunity.map((o) => o.fields.StageName));
        expect(stages.has('Closed Won') && stages.has('Closed Lost') && stages.has('Prospecting')).toBe(true);
        expect(new Set(org.Opportunity.map((o) => o.fields.Type)).size).toBe(3);
    });

    it('links contact roles to contacts of the opportunity’s account, one primary each', () => {
        const org = generateOrg(SIZE);
        const contactAccount = new Map(org.Contact.map((c) => [c.referenceId, c.refs.AccountId]));
        const oppAccount = new Map(org.Opportunity.map((o) => [o.referenceId, o.refs.AccountId]));
        const primaries = new Map<string, number>();
        for (const r of org.OpportunityContactRole) {
            expect(contactAccount.get(r.refs.ContactId ?? '')).toBe(oppAccount.get(r.refs.OpportunityId ?? ''));
            if (r.fields.IsPrimary)
                primaries.set(r.refs.OpportunityId ?? '', (primaries.get(r.refs.OpportunityId ?? '') ?? 0) + 1);
        }
        expect(primaries.size).toBe(org.Opportunity.length);
        expect([...primaries.values()].every((n) => n === 1)).toBe(true);
    });

    it('assigns owners from the generated users; contacts and opportunities follow their account', () => {
        const org = generateOrg(SIZE);
        const users = new Set(org.users.map((u) => u.referenceId));
        const accountOwner = new Map(org.Account.map((a) => [a.referenceId, a.owner]));
        for (const a of org.Account) expect(users.has(a.owner ?? '')).toBe(true);
        for (const c of org.Contact) expect(c.owner).toBe(accountOwner.get(c.refs.AccountId ?? ''));
        for (const o of org.Opportunity) expect(o.owner).toBe(accountOwner.get(o.refs.AccountId ?? ''));
        expect(new Set(org.Account.map((a) => a.owner)).size).toBe(12);
        expect(generateOrg({ ...SIZE, users: 0 }).Account.every((a) => a.owner === undefined)).toBe(true);
    });
});

describe('writeTreePlan', () => {
    let dir = '';
    beforeEach(() => {
        dir = mkdtempSync(path.join(tmpdir(), 'tree-plan-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('splits objects into files of at most 200 records whose references resolve to earlier records', () => {
        const org = generateOrg({ ...SIZE, accounts: 250 });
        writeFileSync(path.join(dir, 'Account.json'), 'stale');
        const planFile = writeTreePlan(org, dir, 'org');
        expect(path.basename(planFile)).toBe('org-plan.json');
        const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { sobject: string; files: string[] }[];
        expect(plan.find((p) => p.sobject === 'Account')?.files).toEqual(['Account-001.json', 'Account-002.json']);
        expect(readdirSync(dir)).not.toContain('Account.json');
        const saved = new Set<string>();
        let total = 0;
        for (const entry of plan) {
            for (const file of entry.files) {
                const { records } = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
                    records: ({ attributes: { type: string; referenceId: string } } & Record<string, unknown>)[];
                };
                expect(records.length).toBeLessThanOrEqual(200);
                for (const r of records) {
                    expect(r.attributes.type).toBe(entry.sobject);
                    for (const v of Object.values(r))
                        if (typeof v === 'string' && v.startsWith('@')) expect(saved.has(v.slice(1))).toBe(true);
                    expect(Object.values(r)).not.toContain(null);
                    saved.add(r.attributes.referenceId);
                    total++;
                }
            }
        }
        expect(total).toBe(PLAN_OBJECTS.reduce((n, o) => n + org[o].length, 0));
    });
});

describe('generate-org CLI arguments', () => {
    it('reads sizes, seed and date', () => {
        expect(parseArgs(['--out', 'x', '--accounts', '1000', '--users', '5', '--today', '2026-01-31'])).toMatchObject({
            demo: false,
            out: 'x',
            size: { accounts: 1000, users: 5, today: new Date('2026-01-31T00:00:00Z'), contactsPerAccount: 4 }
        });
        expect(parseArgs(['--demo']).demo).toBe(true);
    });

    it('refuses unknown options, missing values, negative numbers and bad dates, naming them', () => {
        expect(() => parseArgs(['--acounts', '3'])).toThrow('unknown argument --acounts');
        expect(() => parseArgs(['--accounts'])).toThrow('--accounts needs a value');
        expect(() => parseArgs(['--leads', '-1'])).toThrow('--leads must be a non-negative number, got -1');
        expect(() => parseArgs(['--today', '31/01/2026'])).toThrow('--today must be YYYY-MM-DD');
    });
});
