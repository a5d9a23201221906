import path from 'node:path';
import type { AccountSeed, OrgSize } from './generate-org';

/**
 * The demo org's data: 20 hand-picked accounts (customers, prospects and partners, with real-looking
 * company domains), 60 contacts on those domains, 15 open leads (free-mail, account domains and new
 * companies), 30 opportunities with contact roles. `tsx scripts/seed/generate-org.ts --demo
 * [--today YYYY-MM-DD]` rewrites scripts/seed/demo from it (generateDemoOrg / writeDemoPlan in
 * generate-org.ts); close dates are spread around `today`.
 */

export const DEMO_DIR = path.resolve(__dirname, 'demo');

/** The day the committed plan's close dates are spread around (regenerate to move them). */
export const DEMO_TODAY = new Date('2026-11-22T00:00:00Z');

export const DEMO_ACCOUNTS: AccountSeed[] = [
    {
        name: 'Northwind Analytics',
        domain: 'northwindanalytics.com',
        industry: 'Technology',
        country: 'United States',
        type: 'Customer - Direct',
        employees: 1800
    },
    {
        name: 'Bluepeak Health',
        domain: 'bluepeakhealth.com',
        industry: 'Healthcare',
        country: 'United States',
        type: 'Customer - Direct',
        employees: 5200
    },
    {
        name: 'Ironclad Logistics',
        domain: 'ironcladlogistics.com',
        industry: 'Transportation',
        country: 'United States',
        type: 'Prospect',
        employees: 950
    },
    {
        name: 'Lumen Robotics',
        domain: 'lumenrobotics.io',
        industry: 'Machinery',
        country: 'United States',
        type: 'Prospect',
        employees: 240
    },
    {
        name: 'Brightwater Capital',
        domain: 'brightwatercapital.com',
        industry: 'Finance',
        country: 'United States',
        type: 'Customer - Direct',
        employees: 620
    },
    {
        name: 'Cobalt Networks',
        domain: 'cobaltnetworks.net',
        industry: 'Telecommunications',
        country: 'United States',
        type: 'Channel Partner / Reseller',
        employees: 1300
    },
    {
        name: 'Evergreen Foods',
        domain: 'evergreenfoods.com',
        industry: 'Food & Beverage',
        country: 'United States',
        type: 'Customer - Channel',
        employees: 7400
    },
    {
        name: 'Granite Insurance Group',
        domain: 'graniteinsurance.com',
        industry: 'Insurance',
        country: 'United States',
        type: 'Prospect',
        employees: 3100
    },
    {
        name: 'Harbor Media',
        domain: 'harbormedia.co',
        industry: 'Media',
        country: 'United States',
        type: 'Prospect',
        employees: 410
    },
    {
        name: 'Juniper Biotech',
        domain: 'juniperbio.com',
        industry: 'Biotechnology',
        country: 'United States',
        type: 'Customer - Direct',
        employees: 860
    },
    {
        name: 'Keystone Cloud Partners',
        domain: 'keystonecloudpartners.com',
        industry: 'Consulting',
        country: 'United States',
        type: 'Installation Partner',
        employees: 180
    },
    {
        name: 'Meridian Energy',
        domain: 'meridianenergy.com',
        industry: 'Energy',
        country: 'United States',
        type: 'Prospect',
        employees: 12500
    },
    {
        name: 'Nimbus Security',
        domain: 'nimbussecurity.ai',
        industry: 'Technology',
        country: 'United States',
        type: 'Technology Partner',
        employees: 330
    },
    {
        name: 'Oakridge Materials',
        domain: 'oakridgematerials.com',
        industry: 'Chemicals',
        country: 'United States',
        type: 'Customer - Direct',
        employees: 2700
    },
    {
        name: 'Pinnacle Retail',
        domain: 'pinnacleretail.com',
        industry: 'Retail',
        country: 'United States',
        type: 'Prospect',
        employees: 15800
    },
    {
        name: 'Redwood Bank',
        domain: 'redwoodbank.com',
        industry: 'Banking',
        country: 'United States',
        type: 'Customer - Direct',
        employees: 4300
    },
    {
        name: 'Tidewater Systems Ltd',
        domain: 'tidewatersystems.co.uk',
        industry: 'Technology',
        country: 'United Kingdom',
        type: 'Prospect',
        employees: 520
    },
    {
        name: 'Vantage Motors GmbH',
        domain: 'vantagemotors.de',
        industry: 'Manufacturing',
        country: 'Germany',
        type: 'Customer - Direct',
        employees: 9800
    },
    {
        name: 'Zenith Consulting',
        domain: 'zenithconsulting.ca',
        industry: 'Consulting',
        country: 'Canada',
        type: 'Channel Partner / Reseller',
        employees: 210
    },
    {
        name: 'Aspen Pharma',
        domain: 'aspenpharma.com.au',
        industry: 'Healthcare',
        country: 'Australia',
        type: 'Prospect',
        employees: 1450
    }
];

export function demoSize(today: Date = DEMO_TODAY): OrgSize {
    return {
        accounts: DEMO_ACCOUNTS.length,
        contactsPerAccount: 3,
        leads: 15,
        opportunitiesPerAccount: 1.5,
        seed: 7,
        today
    };
}
