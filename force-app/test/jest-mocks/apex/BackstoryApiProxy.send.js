// The Apex proxy as every LWC test sees it: a jest.fn() the test programs with
// mockResolvedValue(JSON text) or mockRejectedValue({ body: { message: errorJson } }).
export default jest.fn();
