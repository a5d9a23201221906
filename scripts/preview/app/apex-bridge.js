// Stands in for `@salesforce/apex/BackstoryApiProxy.send` in the preview: the preview server
// forwards the call to the middleware with the same rules as the Apex class, and answers a
// failure in the shape Apex errors reach an LWC ({ body: { message } }).
export default async function send(params) {
    const response = await fetch('/apex/BackstoryApiProxy.send', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params)
    });
    const data = await response.json();
    if (!response.ok) throw data;
    return data.result;
}
