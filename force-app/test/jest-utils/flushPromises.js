// Lets pending promises (imperative Apex mocks) and the re-render they cause settle.
export function flushPromises() {
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Several rounds: a handler that awaits one call, then re-renders, then starts another (a save
 * followed by a reload) needs more than one turn to settle.
 */
export async function settle(rounds = 4) {
    for (let i = 0; i < rounds; i++) {
        // eslint-disable-next-line no-await-in-loop
        await flushPromises();
    }
}
