import express from 'express';
import type { EmulatorState } from './state';

const fault = (code: string, message: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${message}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;

/** The partner SOAP API's login() and logout() (jsforce uses them without an OAuth client). */
export function soapRouter(state: EmulatorState): express.Router {
    const { org } = state;
    const router = express.Router();
    router.post(/^\/services\/Soap\/u\/(\d+\.\d)(\/.*)?$/, (req, res) => {
        const xml = typeof req.body === 'string' ? req.body : '';
        const tag = (name: string) =>
            new RegExp(`<(?:\\w+:)?${name}>([\\s\\S]*?)</(?:\\w+:)?${name}>`).exec(xml)?.[1] ?? '';
        const unescape = (s: string) =>
            s
                .replace(/&lt;/g, '<')
                .replace(/&gt;/g, '>')
                .replace(/&quot;/g, '"')
                .replace(/&apos;/g, "'")
                .replace(/&amp;/g, '&');
        res.setHeader('Content-Type', 'text/xml;charset=UTF-8');
        if (/<(?:\w+:)?logout\b/.test(xml)) {
            // logout(): the session in the SessionHeader ends (jsforce's conn.logout() for SOAP sessions).
            const token = unescape(tag('sessionId'));
            if (!token || !state.sessions.has(token)) {
                res.status(500).send(
                    fault(
                        'INVALID_SESSION_ID',
                        'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session'
                    )
                );
                return;
            }
            state.revoke(token);
            res.status(200).send(
                `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"><soapenv:Body><logoutResponse/></soapenv:Body></soapenv:Envelope>`
            );
            return;
        }
        const user = state.userByUsername(unescape(tag('username')));
        const version = req.params[0] ?? '62.0';
        if (
            !/<(?:\w+:)?login\b/.test(xml) ||
            !user ||
            state.passwords.get(user.Id) !== unescape(tag('password')) ||
            user.IsActive === false
        ) {
            res.status(500).send(
                fault('INVALID_LOGIN', 'INVALID_LOGIN: Invalid username, password, security token; or user locked out.')
            );
            return;
        }
        const session = state.newSession(user.Id);
        res.status(200).send(
            `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"><soapenv:Body><loginResponse><result><metadataServerUrl>${state.url}/services/Soap/m/${version}/${org.orgId}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>false</sandbox><serverUrl>${state.url}/services/Soap/u/${version}/${org.orgId}</serverUrl><sessionId>${session.token}</sessionId><userId>${user.Id}</userId><userInfo><organizationId>${org.orgId}</organizationId><organizationName>${String(org.organization().Name)}</organizationName><userEmail>${String(user.Email)}</userEmail><userFullName>${String(user.Name)}</userFullName><userId>${user.Id}</userId><userName>${String(user.Username)}</userName></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>`
        );
    });
    return router;
}
