/** What an alert is about, as its `subject` key: the client as a whole, or one of its workflows. */
export const clientSubject = (clientId: number) => `client:${clientId}`;
export const workflowSubject = (workflowId: number) => `workflow:${workflowId}`;
