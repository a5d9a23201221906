// Stands in for the `@salesforce/apex/<Class>.<method>` imports in the preview: the preview server
// answers `/apex/<Class>.<method>` with the same rules as the Apex class (BackstoryApiProxy.send
// forwards to the middleware; BackstoryPermissionSetup runs against the org as the acting admin),
// and answers a failure in the shape Apex errors reach an LWC ({ body: { message } }).
export async function callApex(name, params) {
    const response = await fetch(`/apex/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params ?? {})
    });
    const data = await response.json();
    if (!response.ok) throw data;
    return data.result;
}

export default function send(params) {
    return callApex('BackstoryApiProxy.send', params);
}
