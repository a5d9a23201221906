// Programs the mocked Apex proxy (force-app/test/jest-mocks/apex) like a small middleware:
// `routes` maps "METHOD /v1/path" (query string included when given) to a body, a function of
// the parsed request body, or an error made with apiError(). Unknown calls fail the test loudly.
export function apiError(status, code, message, details = []) {
    return { __error: { body: { message: JSON.stringify({ status, code, message, details }) } } };
}

export function routeApi(send, routes) {
    const calls = [];
    send.mockImplementation(async ({ method, path, body }) => {
        const parsed = body ? JSON.parse(body) : undefined;
        calls.push({ method, path, body: parsed });
        const key = `${method} ${path}`;
        const bare = `${method} ${path.split('?')[0]}`;
        const route = key in routes ? routes[key] : routes[bare];
        if (route === undefined) throw new Error(`unexpected call ${key}`);
        const answer = typeof route === 'function' ? route(parsed, path) : route;
        if (answer && answer.__error) throw answer.__error;
        return answer === null ? null : JSON.stringify(answer);
    });
    return calls;
}
