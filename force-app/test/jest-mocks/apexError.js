// The error an LWC receives when BackstoryApiProxy throws: { body: { message: <error JSON> } }.
export function apexError(status, code, message, details = []) {
    return { body: { message: JSON.stringify({ status, code, message, details }) } };
}
