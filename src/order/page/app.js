// The live page's script: places orders through POST /order and keeps the board and the counts up to date
// from GET /events (Server-Sent Events: a snapshot, then one event per change of an order's status).

// Each stage: its status, its word and its mark (so color is never the only sign).
const stages = new Map(
  [
    ['created', 'Created', '○'],
    ['paid', 'Paid', '◐'],
    ['shipped', 'Shipped', '✓'],
    ['payment_failed', 'Payment failed', '✗'],
    ['customer_notified', 'Notified', '✉'],
  ].map(([status, label, mark]) => [status, { label, mark }]),
);
const countNames = [...[...stages].map(([status, { label }]) => [status, label]), ['dead-letters', 'Dead letters']];
const boardRows = 20;
// Orders the counts are kept over; the oldest seen is forgotten first.
const maxOrders = 1000;
const orders = new Map();
let deadLetters = 0;

const byNewest = (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.orderId < b.orderId ? -1 : 1);

function remember(record) {
  const known = orders.get(record.orderId);
  // A record older than the one shown (a snapshot racing a change) changes nothing.
  if (known && Date.parse(known.updatedAt) > Date.parse(record.updatedAt)) return;
  orders.delete(record.orderId);
  orders.set(record.orderId, record);
  for (const oldest of orders.keys()) {
    if (orders.size <= maxOrders) break;
    orders.delete(oldest);
  }
}

function row(record) {
  const stage = stages.get(record.status) ?? { label: record.status, mark: '?' };
  const tr = document.createElement('tr');
  tr.dataset.orderId = record.orderId;
  tr.dataset.status = record.status;
  const cells = [record.orderId, record.amount === undefined ? '–' : record.amount.toFixed(2)];
  for (const text of cells) tr.append(Object.assign(document.createElement('td'), { textContent: text }));
  const stageCell = document.createElement('td');
  stageCell.className = 'stage';
  stageCell.append(Object.assign(document.createElement('span'), { textContent: stage.mark, ariaHidden: 'true' }));
  stageCell.append(` ${stage.label}`);
  tr.append(stageCell);
  return tr;
}

function render() {
  const counts = Object.fromEntries(countNames.map(([name]) => [name, 0]));
  for (const record of orders.values()) counts[record.status] = (counts[record.status] ?? 0) + 1;
  counts['dead-letters'] = deadLetters;
  for (const [name, count] of Object.entries(counts)) {
    const cell = document.querySelector(`[data-count="${name}"]`);
    if (cell && cell.textContent !== String(count)) cell.textContent = String(count);
  }
  const newest = [...orders.values()].sort(byNewest).slice(0, boardRows);
  document.getElementById('board').replaceChildren(...newest.map(row));
}

function countCells() {
  const cells = countNames.map(([name, label]) => {
    const item = document.createElement('div');
    item.dataset.status = name;
    item.append(Object.assign(document.createElement('dt'), { textContent: label }));
    item.append(Object.assign(document.createElement('dd'), { textContent: '0' }));
    item.lastChild.dataset.count = name;
    return item;
  });
  document.getElementById('counts').replaceChildren(...cells);
}

function connect() {
  const connection = document.getElementById('connection');
  const events = new EventSource('/events');
  events.addEventListener('open', () => (connection.textContent = 'live'));
  events.addEventListener('error', () => (connection.textContent = 'reconnecting…'));
  events.addEventListener('snapshot', (message) => {
    const snapshot = JSON.parse(message.data);
    for (const record of snapshot.orders) remember(record);
    deadLetters = snapshot.deadLetters;
    render();
  });
  events.addEventListener('order', (message) => {
    remember(JSON.parse(message.data));
    render();
  });
  events.addEventListener('dead-letters', (message) => {
    deadLetters = JSON.parse(message.data).count;
    render();
  });
}

async function placeOrder(event) {
  event.preventDefault();
  const form = event.target;
  const result = document.getElementById('form-result');
  const body = { Amount: Number(form.amount.value) };
  if (form.orderId.value.trim() !== '') body.OrderId = form.orderId.value.trim();
  form.querySelector('button').disabled = true;
  try {
    const response = await fetch('/order', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    const problems = (answer.errors ?? []).map((error) => `${error.field} ${error.message}`).join('; ');
    result.textContent = response.ok
      ? `Order ${answer.orderId} placed.`
      : `Not placed: ${answer.message}${problems ? ` (${problems})` : ''}`;
    if (response.ok) form.reset();
  } catch {
    result.textContent = 'Not placed: the order service did not answer.';
  } finally {
    form.querySelector('button').disabled = false;
  }
}

document.getElementById('order-form').addEventListener('submit', placeOrder);
countCells();
render();
connect();
