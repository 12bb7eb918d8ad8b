// The rule every order id follows, in events, in POST /order and in GET /orders/:id: what the key of an
// order's messages may be.
export const orderIdPattern = '^[A-Za-z0-9_-]{1,64}$';
