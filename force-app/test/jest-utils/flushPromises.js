// Lets pending promises (imperative Apex mocks) and the re-render they cause settle.
export function flushPromises() {
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    return new Promise((resolve) => setTimeout(resolve, 0));
}
