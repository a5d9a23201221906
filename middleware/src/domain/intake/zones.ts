import ICAL from 'ical.js';

/** The time zones one org's files defined (SEC-7), most recently used last. */
export interface OrgZones {
    get(tzid: string): ICAL.Timezone | undefined;
    remember(zone: ICAL.Timezone): void;
    readonly size: number;
}

/**
 * SEC-7: VTIMEZONE definitions keyed by org and bounded (least recently used out, both the orgs
 * and each org's zones). One org's definition of a TZID never changes another org's times, and
 * the memory does not grow with the number of uploads.
 */
export class OrgZoneRegistry {
    private readonly orgs = new Map<string, Map<string, ICAL.Timezone>>();

    constructor(
        readonly maxOrgs = 200,
        readonly maxZonesPerOrg = 100
    ) {}

    get orgCount(): number {
        return this.orgs.size;
    }

    forOrg(orgId: string): OrgZones {
        const { orgs, maxOrgs, maxZonesPerOrg } = this;
        const zonesOf = (create: boolean): Map<string, ICAL.Timezone> | undefined => {
            let zones = orgs.get(orgId);
            if (zones) {
                orgs.delete(orgId);
                orgs.set(orgId, zones);
            } else if (create) {
                zones = new Map();
                orgs.set(orgId, zones);
                while (orgs.size > maxOrgs) {
                    const oldest = orgs.keys().next().value as string;
                    orgs.delete(oldest);
                }
            }
            return zones;
        };
        return {
            get(tzid) {
                const zones = zonesOf(false);
                const zone = zones?.get(tzid);
                if (zones && zone) {
                    zones.delete(tzid);
                    zones.set(tzid, zone);
                }
                return zone;
            },
            remember(zone) {
                const zones = zonesOf(true) as Map<string, ICAL.Timezone>;
                zones.delete(zone.tzid);
                zones.set(zone.tzid, zone);
                while (zones.size > maxZonesPerOrg) zones.delete(zones.keys().next().value as string);
            },
            get size() {
                return orgs.get(orgId)?.size ?? 0;
            }
        };
    }
}

/**
 * Run `fn` with exactly these zones in ical.js's process-wide TimezoneService, and empty it
 * again before returning. `fn` is synchronous, so no other request can see them (SEC-7).
 */
export function withZones<T>(zones: Iterable<ICAL.Timezone>, fn: () => T): T {
    ICAL.TimezoneService.reset();
    try {
        for (const zone of zones) if (zone.tzid) ICAL.TimezoneService.register(zone, zone.tzid);
        return fn();
    } finally {
        ICAL.TimezoneService.reset();
    }
}
