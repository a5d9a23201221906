import express from 'express';
import { SfError } from './errors';
import type { SfRecord } from './org';
import { authenticate, sendJson, type EmulatorState } from './state';

/** The identity service's `urls` (Salesforce's keys; `{version}` is left for the client to fill). */
export function identityUrls(state: EmulatorState, userId: string): Record<string, string> {
    const data = `${state.url}/services/data/v{version}`;
    const soap = `${state.url}/services/Soap`;
    return {
        enterprise: `${soap}/c/{version}/${state.org.orgId}`,
        metadata: `${soap}/m/{version}/${state.org.orgId}`,
        partner: `${soap}/u/{version}/${state.org.orgId}`,
        rest: `${data}/`,
        sobjects: `${data}/sobjects/`,
        search: `${data}/search/`,
        query: `${data}/query/`,
        recent: `${data}/recent/`,
        tooling_soap: `${soap}/T/{version}/${state.org.orgId}`,
        tooling_rest: `${data}/tooling/`,
        profile: `${state.url}/${userId}`,
        feeds: `${data}/chatter/feeds`,
        groups: `${data}/chatter/groups`,
        users: `${data}/chatter/users`,
        feed_items: `${data}/chatter/feed-items`,
        feed_elements: `${data}/chatter/feed-elements`,
        custom_domain: state.url
    };
}

export function identityUrl(state: EmulatorState, userId: string): string {
    return `${state.url}/id/${state.org.orgId}/${userId}`;
}

const TIME_ZONE_OFFSETS: Record<string, number> = {
    GMT: 0,
    'Europe/London': 0,
    'Europe/Paris': 3_600_000,
    'Europe/Berlin': 3_600_000,
    'America/New_York': -18_000_000,
    'America/Chicago': -21_600_000,
    'America/Denver': -25_200_000,
    'America/Los_Angeles': -28_800_000
};

function common(state: EmulatorState, user: SfRecord) {
    const zone = typeof user.TimeZoneSidKey === 'string' ? user.TimeZoneSidKey : 'GMT';
    return {
        user_id: user.Id,
        organization_id: state.org.orgId,
        email: user.Email ?? null,
        active: user.IsActive !== false,
        user_type: 'STANDARD',
        language: typeof user.LanguageLocaleKey === 'string' ? user.LanguageLocaleKey : 'en_US',
        locale: typeof user.LocaleSidKey === 'string' ? user.LocaleSidKey : 'en_US',
        utcOffset: TIME_ZONE_OFFSETS[zone] ?? 0,
        urls: identityUrls(state, user.Id)
    };
}

/** The identity URL (`/id/<orgId>/<userId>`) and OpenID Connect `/services/oauth2/userinfo`. */
export function identityRouter(state: EmulatorState): express.Router {
    const { org } = state;
    const router = express.Router();
    const userOf = (userId: string): SfRecord => {
        const user = org.tables.get('User')?.rows.get(userId);
        if (!user) throw new SfError(403, 'FORBIDDEN', 'Bad_Id');
        return user;
    };

    router.get('/id/:orgId/:userId', (req, res) => {
        try {
            const session = authenticate(state, req, { queryToken: true });
            const user = org.get(String(req.params.userId));
            if (!user || req.params.orgId !== org.orgId || user.Id !== session.userId)
                throw new SfError(403, 'FORBIDDEN', 'Bad_Id');
            sendJson(res, 200, {
                id: identityUrl(state, user.Id),
                asserted_user: true,
                username: user.Username,
                nick_name: user.Alias,
                display_name: user.Name,
                first_name: user.FirstName,
                last_name: user.LastName,
                timezone: user.TimeZoneSidKey ?? 'GMT',
                status: { created_date: null, body: null },
                photos: {
                    picture: `${state.url}/profilephoto/005/F`,
                    thumbnail: `${state.url}/profilephoto/005/T`
                },
                addr_street: null,
                addr_city: null,
                addr_state: null,
                addr_country: null,
                addr_zip: null,
                mobile_phone: null,
                mobile_phone_verified: false,
                is_lightning_login_user: false,
                last_modified_date: user.LastModifiedDate ?? null,
                is_app_installed: true,
                ...common(state, userOf(user.Id))
            });
        } catch (error) {
            if (error instanceof SfError) sendJson(res, error.status, [error.toJSON()]);
            else throw error;
        }
    });

    const userinfo = (req: express.Request, res: express.Response) => {
        try {
            const session = authenticate(state, req, { queryToken: true });
            const user = userOf(session.userId);
            sendJson(res, 200, {
                sub: identityUrl(state, user.Id),
                preferred_username: user.Username,
                nickname: user.Alias,
                name: user.Name,
                email_verified: true,
                given_name: user.FirstName,
                family_name: user.LastName,
                zoneinfo: user.TimeZoneSidKey ?? 'GMT',
                photos: {
                    picture: `${state.url}/profilephoto/005/F`,
                    thumbnail: `${state.url}/profilephoto/005/T`
                },
                profile: `${state.url}/${user.Id}`,
                picture: `${state.url}/profilephoto/005/F`,
                address: {},
                is_salesforce_integration_user: false,
                updated_at: user.LastModifiedDate ?? null,
                is_app_installed: true,
                ...common(state, user)
            });
        } catch (error) {
            // Salesforce answers a bad token on userinfo with 403 "Bad_OAuth_Token".
            if (error instanceof SfError) {
                res.status(403).type('text/plain').send('Bad_OAuth_Token');
            } else throw error;
        }
    };
    router.get('/services/oauth2/userinfo', userinfo);
    router.post('/services/oauth2/userinfo', userinfo);
    return router;
}
