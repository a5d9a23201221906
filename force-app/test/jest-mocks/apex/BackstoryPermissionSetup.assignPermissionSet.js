// BackstoryPermissionSetup.assignPermissionSet as LWC tests see it: a jest.fn() the test programs
// (mockResolvedValue / mockRejectedValue({ body: { message: errorJson } })).
export default jest.fn();
