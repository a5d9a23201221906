// The org of `npm run bench:accuracy` (accuracy-scenarios.ts builds the activities on it): seeded
// accounts with subsidiaries and duplicates, contacts whose names collide as in a real org, open
// and closed deals with contact roles, leads, our own company as an account, vendors and agencies.
import { FIRST_NAMES, LAST_NAMES, PRODUCTS, ROOTS, SECTORS, TLDS } from '../seed/names';
import type { CrmRecord, ReplicaObject } from '../../middleware/src/domain/matching/types';

/** mulberry32. */
export function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export const OWNER_DOMAIN = 'backstory-demo.com';
const OTHER_OWNER_DOMAIN = 'backstory-emea.io';
export const FREE = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'proton.me'];
export const DAY = 86_400_000;
export const START = Date.UTC(2026, 0, 5);

export interface Person {
    id: string;
    first: string;
    last: string;
    email: string;
    accountId: string;
}
export interface Deal {
    id: string;
    name: string;
    accountId: string;
    open: boolean;
    ownerId: string;
    closeDate: number;
    roles: string[];
}
export interface Company {
    id: string;
    name: string;
    domain: string;
    ownerId: string;
    contacts: Person[];
    deals: Deal[];
    parentId?: string;
}

export type Org = ReturnType<typeof buildOrg>;

/** The org, drawn from `rand` (the scenarios go on drawing from the same sequence). */
export function buildOrg(rand: () => number, accounts: number) {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const chance = (p: number) => rand() < p;
    const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const records: { object: ReplicaObject; record: CrmRecord }[] = [];
    let n = 0;
    // Salesforce ids: a 3-character prefix, 12 unique characters, a 3-character checksum.
    const id = (prefix: string) => `${prefix}${String(++n).padStart(12, '0')}AAA`;
    const add = (object: ReplicaObject, record: CrmRecord) => records.push({ object, record });

    // Names: first × surname (a root and an ending), a quarter double-barrelled, so that names
    // collide about as in a real org: several per cent of contacts share their name with another.
    const SURNAME_ENDINGS = ['', '', 'son', 'sen', 'ski', 'ez', 'er', 'berg', 'ton', 'ley', 'stein', 'ford', 'well'];
    const surname = () => `${pick(LAST_NAMES)}${pick(SURNAME_ENDINGS)}`;
    const personName = (): { first: string; last: string } => ({
        first: pick(FIRST_NAMES),
        last: chance(0.25) ? `${surname()}-${surname()}` : surname()
    });
    const localOf = (p: { first: string; last: string }) =>
        `${p.first}.${p.last}`.toLowerCase().replace(/[^a-z.-]/g, '');

    // Users: the reps (owners) and a few colleagues at a second company domain.
    const users: { id: string; email: string }[] = [];
    for (let u = 1; u <= 40; u++) {
        const user = { id: id('005'), email: `rep${u}@${u <= 34 ? OWNER_DOMAIN : OTHER_OWNER_DOMAIN}` };
        users.push(user);
        add('User', { Id: user.id, Name: `Rep ${u}`, Email: user.email, IsActive: true });
    }
    const reps = users.slice(0, 34);
    const colleagues = users.slice(34);

    const companies: Company[] = [];
    const usedDomains = new Set<string>();
    const newDomain = (name: string) => {
        const [tld] = pick(TLDS);
        let domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.${tld}`;
        for (let i = 2; usedDomains.has(domain); i++)
            domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}${i}.${tld}`;
        usedDomains.add(domain);
        return domain;
    };
    const activityWindow = 330;
    const addContact = (company: Company, emailDomain = company.domain, name = personName()): Person => {
        let local = localOf(name);
        while (company.contacts.some((c) => c.email === `${local}@${emailDomain}`)) local += String(between(1, 9));
        const person: Person = { id: id('003'), ...name, email: `${local}@${emailDomain}`, accountId: company.id };
        company.contacts.push(person);
        add('Contact', {
            Id: person.id,
            FirstName: name.first,
            LastName: name.last,
            Name: `${name.first} ${name.last}`,
            Email: person.email,
            AccountId: company.id,
            OwnerId: company.ownerId
        });
        return person;
    };
    const addDeal = (company: Company, open: boolean): Deal => {
        let product = pick(PRODUCTS) as string;
        while (company.deals.some((d) => d.name.endsWith(product))) product = `${pick(PRODUCTS)} ${between(2, 9)}`;
        const deal: Deal = {
            id: id('006'),
            name: `${company.name} - ${product}`,
            accountId: company.id,
            open,
            ownerId: chance(0.6) ? company.ownerId : pick(reps).id,
            closeDate: START + (open ? between(0, activityWindow + 120) : between(-400, 200)) * DAY,
            roles: []
        };
        const won = chance(0.5);
        company.deals.push(deal);
        add('Opportunity', {
            Id: deal.id,
            Name: deal.name,
            AccountId: company.id,
            IsClosed: !open,
            IsWon: !open && won,
            StageName: open
                ? pick(['Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review'])
                : won
                  ? 'Closed Won'
                  : 'Closed Lost',
            CloseDate: new Date(deal.closeDate).toISOString().slice(0, 10),
            OwnerId: deal.ownerId
        });
        return deal;
    };
    const addRole = (deal: Deal, person: Person) => {
        if (deal.roles.includes(person.id)) return;
        deal.roles.push(person.id);
        add('OpportunityContactRole', {
            Id: id('00K'),
            OpportunityId: deal.id,
            ContactId: person.id,
            Role: pick(['Decision Maker', 'Economic Buyer', 'Evaluator', 'Influencer', 'Technical Buyer'])
        });
    };
    const addCompany = (name: string, domain: string, parentId?: string): Company => {
        const company: Company = { id: id('001'), name, domain, ownerId: pick(reps).id, contacts: [], deals: [] };
        if (parentId) company.parentId = parentId;
        companies.push(company);
        add('Account', {
            Id: company.id,
            Name: name,
            Website: chance(0.5) ? `https://www.${domain}` : domain,
            OwnerId: company.ownerId,
            ParentId: parentId ?? null,
            Type: pick(['Customer', 'Prospect', 'Customer', 'Prospect', 'Partner'])
        });
        return company;
    };
    const populate = (company: Company, emailDomain = company.domain) => {
        const contacts = between(3, 8);
        for (let i = 0; i < contacts; i++) addContact(company, emailDomain);
        const r = rand();
        const open = r < 0.3 ? 0 : r < 0.65 ? 1 : between(2, 4);
        for (let i = 0; i < open; i++) addDeal(company, true);
        for (let i = between(0, 3); i > 0; i--) addDeal(company, false);
        for (const deal of company.deals) for (let i = between(1, 2); i > 0; i--) addRole(deal, pick(company.contacts));
    };

    const usedNames = new Set<string>();
    const companyName = () => {
        for (;;) {
            const name = `${pick(ROOTS)} ${pick(SECTORS)[0]}`;
            const full = usedNames.has(name) ? `${name} ${between(2, 99)}` : name;
            if (!usedNames.has(full)) {
                usedNames.add(full);
                return full;
            }
        }
    };
    // Our own company is an account too (with contacts for colleagues), as in many orgs.
    const self = addCompany('Backstory Demo (internal)', OWNER_DOMAIN);
    for (const u of reps.slice(0, 10)) {
        const person: Person = { id: id('003'), first: 'Rep', last: u.email, email: u.email, accountId: self.id };
        self.contacts.push(person);
        add('Contact', { Id: person.id, Name: `Rep ${u.email}`, Email: u.email, AccountId: self.id });
    }

    const subsidiaries: { parent: Company; child: Company; shared: boolean }[] = [];
    const duplicates: { primary: Company; duplicate: Company }[] = [];
    for (let a = 0; a < accounts; a++) {
        const name = companyName();
        const company = addCompany(name, newDomain(name));
        populate(company);
        if (chance(0.08)) {
            const shared = chance(0.4);
            const region = pick(['eu', 'uk', 'apac', 'de', 'latam']);
            const childDomain = shared ? company.domain : `${region}.${company.domain}`;
            const child = addCompany(`${name} ${region.toUpperCase()}`, childDomain, company.id);
            populate(child, childDomain);
            subsidiaries.push({ parent: company, child, shared });
        } else if (chance(0.05)) {
            const duplicate = addCompany(chance(0.5) ? `${name} Inc.` : `${name} (old)`, company.domain);
            if (chance(0.5)) addContact(duplicate);
            duplicates.push({ primary: company, duplicate });
        }
    }
    const plain = companies.filter((c) => c !== self && c.contacts.length > 0);
    const openDeals = (c: Company) => c.deals.filter((d) => d.open);
    // The right WhatId of an activity about a company that names no deal: its one open deal, or
    // the account when it has none. Scenarios other than the multi-opp ones take companies with at
    // most one open deal, so each kind carries its own ambiguity and no other.
    const target = (c: Company): string => {
        const open = openDeals(c);
        if (open.length > 1) throw new Error(`${c.name} has ${open.length} open deals: the scenario must name one`);
        return open.length === 1 ? open[0]!.id : c.id;
    };

    // Leads: prospects at companies not in the CRM, duplicates of contacts, converted leads.
    const prospects: { email: string; id: string; name: string }[] = [];
    for (let i = 0; i < Math.max(50, accounts / 2); i++) {
        const name = personName();
        const domain = chance(0.3)
            ? pick(FREE)
            : `${companyName()
                  .toLowerCase()
                  .replace(/[^a-z0-9]+/g, '')}.com`;
        const email = `${localOf(name)}${between(1, 999)}@${domain}`;
        const lead = { id: id('00Q'), email, name: `${name.first} ${name.last}` };
        prospects.push(lead);
        add('Lead', {
            Id: lead.id,
            FirstName: name.first,
            LastName: name.last,
            Name: lead.name,
            Email: email,
            Company: domain,
            IsConverted: false
        });
    }
    const contactLeads: { contact: Person; company: Company }[] = [];
    const convertedLeads: { contact: Person; company: Company }[] = [];
    for (const company of plain) {
        for (const contact of company.contacts) {
            const r = rand();
            if (r < 0.04) {
                contactLeads.push({ contact, company });
                add('Lead', {
                    Id: id('00Q'),
                    FirstName: contact.first,
                    LastName: contact.last,
                    Name: `${contact.first} ${contact.last}`,
                    Email: contact.email,
                    IsConverted: false
                });
            } else if (r < 0.08) {
                convertedLeads.push({ contact, company });
                add('Lead', {
                    Id: id('00Q'),
                    FirstName: contact.first,
                    LastName: contact.last,
                    Name: `${contact.first} ${contact.last}`,
                    Email: contact.email,
                    IsConverted: true,
                    ConvertedContactId: contact.id
                });
            }
        }
    }
    const vendors = Array.from({ length: 60 }, () =>
        newDomain(`${pick(ROOTS)} ${pick(['Cloud', 'Payroll', 'Office', 'Travel', 'Legal', 'Hosting'])}`)
    );
    const agencies = Array.from({ length: 10 }, () => newDomain(`${pick(ROOTS)} Talent`));

    return {
        records,
        users,
        reps,
        colleagues,
        self,
        plain,
        subsidiaries,
        duplicates,
        prospects,
        contactLeads,
        convertedLeads,
        vendors,
        agencies,
        activityWindow,
        openDeals,
        target,
        personName,
        localOf
    };
}
