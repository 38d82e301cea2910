// The dashboard in a real browser against the real services, run once by DashboardAndClientTest, which starts the
// pipeline and passes its addresses and fixtures in the environment. Each step prints what it checks; a failing
// step saves a screenshot beside the others and exits 1 with the reason.
import { chromium } from 'playwright-core';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through DashboardAndClientTest`);
  return value;
};
const BASE = env('DASHBOARD_URL');
const TOKEN = env('API_TOKEN');
const SHOTS = env('SCREENSHOTS');
const LAPTOP = { width: 1366, height: 860 };
const PHONE = { width: 390, height: 844 };
const SLOW = 120_000;

const api = async (method, path, body) => {
  const response = await fetch(BASE + path, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
};

await mkdir(SHOTS, { recursive: true });
const profile = await mkdtemp(join(tmpdir(), 'dashboard-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: LAPTOP,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(20_000);
const violations = [];
page.on('console', (message) => {
  if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) violations.push(message.text());
});
page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));

let current = 'starting';
async function step(name, run) {
  current = name;
  const started = Date.now();
  await run();
  console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

/** A screenshot of the page at laptop and at phone width. */
async function shoot(name) {
  await page.evaluate(() => {
    document.querySelectorAll('.toast').forEach((note) => note.remove());
    window.scrollTo(0, 0); // a sticky header stays at the top of a full-page shot only from there
  });
  await page.waitForTimeout(150); // the last frame of a render
  await page.screenshot({ path: join(SHOTS, `${name}-laptop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(250);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(LAPTOP);
  await page.waitForTimeout(150);
}

const row = (id) => page.locator(`.deployments .row[data-id="${id}"]`);

try {
  await step('without a token the page asks for one and shows nothing else', async () => {
    await page.goto(BASE + '/');
    await page.locator('form.token-card').waitFor();
    if (await page.locator('.topbar, .rows').count() !== 0) throw new Error('data is shown behind the token prompt');
    await shoot('token-prompt');
    await page.fill('#token', 'not-the-token');
    await page.click('form.token-card button[type=submit]');
    await page.locator('.form-error', { hasText: 'does not accept' }).waitFor();
    if (await page.locator('.topbar').count() !== 0) throw new Error('a wrong token opened the dashboard');
    await page.fill('#token', TOKEN);
    await page.click('form.token-card button[type=submit]');
    await page.locator('.topbar .nav a.active', { hasText: 'Deployments' }).waitFor();
  });

  let deployedId;
  await step('a new deployment shows in the list and moves to deployed without a reload', async () => {
    await page.evaluate(() => (window.stillTheSamePage = true));
    deployedId = (await api('POST', '/deploy', { repoUrl: env('STATIC_REPO') })).id;
    await row(deployedId).waitFor();
    await page.locator(`.deployments .row[data-id="${deployedId}"][data-state="deployed"]`).waitFor({ timeout: SLOW })
      .catch(async (error) => {
        // Which side missed it: the pipeline (the record is not deployed either) or the page (it is).
        const record = await api('GET', `/deployments/${deployedId}`);
        throw new Error(`${error.message}; the API has ${deployedId} ${record.status}: ${JSON.stringify(record)}`);
      });
    if (!(await page.evaluate(() => window.stillTheSamePage))) throw new Error('the page reloaded');
    await shoot('deployments');
  });

  let colourId;
  await step('the detail page follows a build log live and renders its colours', async () => {
    colourId = (await api('POST', '/deploy', { repoUrl: env('COLOUR_REPO') })).id;
    await page.goto(`${BASE}/#/deployments/${colourId}`);
    const green = page.locator('.log-line .log-text span', { hasText: 'step 1 passed' }).first();
    await green.waitFor({ timeout: SLOW });
    const state = await page.locator('.page-header .badge').getAttribute('data-state');
    if (state !== 'building') throw new Error(`the first lines came once it was ${state}, not while it built`);
    const colour = await green.evaluate((span) => getComputedStyle(span).color);
    if (colour !== 'rgb(63, 185, 80)') throw new Error(`the green text is ${colour}, not the log's green`);
    if (await page.locator('.log-text', { hasText: '[32m' }).count() !== 0) throw new Error('raw escapes are shown');
    await page.locator('.page-header .badge[data-state="deployed"]').waitFor({ timeout: SLOW });
    await page.locator('.log-line', { hasText: 'step 8 passed' }).waitFor();
    await shoot('deployment');
  });

  await step('a failed build shows its error and highlights the failing lines', async () => {
    await page.goto(`${BASE}/#/deployments/${env('FAILED_ID')}`);
    await page.locator('[data-error]', { hasText: 'exited with code' }).waitFor();
    await page.locator('.log-line.error', { hasText: 'broke on purpose' }).waitFor();
    await shoot('deployment-failed');
  });

  await step('a 10 MB log opens at once, keeps only the lines in sight in the page and scrolls freely', async () => {
    const started = Date.now();
    await page.goto(`${BASE}/#/deployments/${env('HUGE_ID')}`);
    const counter = page.locator('.log-toolbar span.muted');
    await page.waitForFunction(() => {
      const text = document.querySelector('.log-toolbar span.muted')?.textContent ?? '';
      return Number(text.split(' ')[0].replace(/\D/g, '')) > 50000;
    }, null, { timeout: 30_000 });
    const lines = Number((await counter.textContent()).split(' ')[0].replace(/\D/g, ''));
    const opened = Date.now() - started;
    const inPage = await page.locator('.log-line').count();
    if (inPage > 400) throw new Error(`${inPage} lines are in the page for a log of ${lines}`);
    for (const at of [0.5, 0.9, 0.1]) {
      const before = Date.now();
      await page.locator('.log-viewport').evaluate((viewport, share) => (viewport.scrollTop = viewport.scrollHeight * share), at);
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const took = Date.now() - before;
      if (took > 1000) throw new Error(`scrolling to ${at * 100}% of the log took ${took} ms`);
    }
    const middle = await page.locator('.log-line .log-number').first().textContent();
    if (Number(middle) < lines * 0.05) throw new Error(`after scrolling, line ${middle} is the first shown`);
    console.log(`     ${lines} lines shown ${opened} ms after opening, ${inPage} of them in the page`);
  });

  let slowId;
  await step('cancel on the page kills a running build', async () => {
    slowId = (await api('POST', '/deploy', { repoUrl: env('SLOW_REPO') })).id;
    await page.goto(`${BASE}/#/deployments/${slowId}`);
    await page.locator('.log-line', { hasText: 'working' }).first().waitFor({ timeout: SLOW });
    await page.click('.page-header button[data-action="cancel"]');
    await page.locator('.page-header .badge[data-state="cancelled"]').waitFor();
    await page.locator('[data-error]', { hasText: 'cancelled' }).waitFor();
    console.log(`     cancelled ${slowId}`);
  });

  await step('the project page lists its notification target as the API does, with the deliveries it got', async () => {
    await page.goto(`${BASE}/#/projects/${env('PROJECT')}`);
    const target = page.locator('.notifications .target[data-type="webhook"]');
    await target.waitFor();
    const shown = await target.locator('.target-url').textContent();
    if (shown !== env('NOTIFY_URL')) throw new Error(`the target shows as ${shown}, not as listed: ${env('NOTIFY_URL')}`);
    if (await page.locator('body', { hasText: 'kept-out-of-the-list' }).count() !== 0) throw new Error('the query shows');
    const delivered = target.locator('.deliveries li[data-state="delivered"]', { hasText: 'succeeded' }).first();
    await delivered.waitFor();
    const answer = await delivered.locator('.delivery-status').textContent();
    if (answer !== 'HTTP 204') throw new Error(`a delivered notice shows ${answer}, not the receiver's HTTP 204`);
    if (!(await delivered.textContent()).includes('1 try')) throw new Error('a first-try delivery does not say 1 try');
  });

  await step('the project page shows its schedule, its next run and how many deployments it keeps', async () => {
    const settings = page.locator('dl.fields');
    await settings.locator('dd', { hasText: '0 3 * * * (Europe/Berlin)' }).waitFor();
    const { nextRun } = await api('GET', `/projects/${env('PROJECT')}`);
    const shown = await settings.locator('dt:text-is("Next run") + dd').textContent();
    const expected = nextRun && await page.evaluate((time) =>
      new Date(time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }), nextRun);
    if (!expected || !shown.startsWith(expected)) throw new Error(`next run ${nextRun} shows as ${shown}`);
    await settings.locator('dd', { hasText: 'the newest 10 deployments' }).waitFor();
  });

  await step('the project page lists its branch preview with its address and what it serves', async () => {
    await page.goto(`${BASE}/#/projects/${env('PROJECT')}`);
    const preview = page.locator('.previews .row[data-branch="feature/cart"]');
    await preview.locator(`a[href="${env('PREVIEW_URL')}"]`).first().waitFor();
    const served = await preview.locator('a.id').textContent();
    if (!env('PREVIEW_ID').startsWith(served)) throw new Error(`the preview shows ${served}, not ${env('PREVIEW_ID')}`);
  });

  await step('rollback on the project page moves its site and pins it there', async () => {
    const project = env('PROJECT');
    const target = env('ROLLBACK_TO');
    await page.goto(`${BASE}/#/projects/${project}`);
    const targetRow = page.locator(`.history .row[data-id="${target}"]`);
    await targetRow.locator('button[data-action="rollback"]').click();
    await targetRow.locator('.pill.current').waitFor();
    await page.locator(`.pin[data-pinned="${target}"]`).waitFor();
    const served = await api('GET', `/projects/${project}`);
    if (served.deployment !== target) throw new Error(`the project serves ${served.deployment}, not ${target}`);
    if (served.pinned !== target) throw new Error(`the project is pinned to ${served.pinned}, not ${target}`);
    await shoot('project');
  });

  await step('promote moves the pinned site forward and lifts the pin; lift pin leaves the site where it is', async () => {
    const project = env('PROJECT');
    const newer = page.locator(`.history .row[data-id="${env('PROMOTE')}"]`);
    await newer.locator('button[data-action="promote"]').click();
    await newer.locator('.pill.current').waitFor();
    await page.locator('.pin').waitFor({ state: 'detached' });
    let served = await api('GET', `/projects/${project}`);
    if (served.deployment !== env('PROMOTE') || served.pinned) throw new Error(`after promote: ${JSON.stringify(served)}`);
    const older = page.locator(`.history .row[data-id="${env('ROLLBACK_TO')}"]`);
    await older.locator('button[data-action="rollback"]').click();
    await page.locator(`.pin[data-pinned="${env('ROLLBACK_TO')}"] button[data-action="unpin"]`).click();
    await page.locator('.pin').waitFor({ state: 'detached' });
    await older.locator('.pill.current').waitFor();
    served = await api('GET', `/projects/${project}`);
    if (served.deployment !== env('ROLLBACK_TO') || served.pinned) throw new Error(`after lift pin: ${JSON.stringify(served)}`);
  });

  await step('the project page shows its newest read when an older one answers after it', async () => {
    const project = env('PROJECT');
    const older = page.locator(`.history .row[data-id="${env('ROLLBACK_TO')}"]`);
    const newer = page.locator(`.history .row[data-id="${env('PROMOTE')}"]`);
    const pinnedTo = (id) => page.locator(`.pin[data-pinned="${id}"]`);
    await api('POST', `/projects/${project}/rollback`, { id: env('ROLLBACK_TO') }); // pins what it serves
    await page.reload();
    await pinnedTo(env('ROLLBACK_TO')).waitFor();
    // The next read of the project is held once it has its answer, and answers only after a newer read has.
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    let heldRead;
    const held = new Promise((resolve) => { heldRead = resolve; });
    let holding = true;
    const isProject = (url) => url.pathname === `/projects/${project}`;
    await page.route(isProject, async (route) => {
      if (!holding || route.request().method() !== 'GET') return route.continue();
      holding = false;
      const answer = await route.fetch();
      heldRead();
      await released;
      await route.fulfill({ response: answer });
    });
    try {
      await pinnedTo(env('ROLLBACK_TO')).locator('button[data-action="unpin"]').click(); // its read (no pin) is held
      await held;
      await newer.locator('button[data-action="rollback"]').click(); // its read (PROMOTE, pinned) answers first
      await pinnedTo(env('PROMOTE')).waitFor();
      release();
      await page.locator('section.page.detail[aria-busy="false"]').waitFor();
      if ((await pinnedTo(env('PROMOTE')).count()) !== 1 || (await newer.locator('.pill.current').count()) !== 1) {
        throw new Error('the older read, answering last, was shown over the newer one');
      }
    } finally {
      release();
      await page.unroute(isProject);
    }
    // Back as the steps after this one expect: ROLLBACK_TO served, no pin.
    await older.locator('button[data-action="rollback"]').click();
    await pinnedTo(env('ROLLBACK_TO')).locator('button[data-action="unpin"]').click();
    await page.locator('.pin').waitFor({ state: 'detached' });
    await older.locator('.pill.current').waitFor();
  });

  await step('projects and queue pages show what exists', async () => {
    await page.goto(`${BASE}/#/projects`);
    await page.locator(`.project-card[data-project="${env('PROJECT')}"]`).waitFor();
    await shoot('projects');
    await page.goto(`${BASE}/#/queue`);
    await page.locator('.stat[data-stat="deployed"] .stat-value').waitFor();
    await page.locator('.replica h3', { hasText: 'replica-a' }).waitFor();
    await page.locator('svg.chart').first().waitFor();
    await shoot('queue');
  });

  /** Signs out and in again with `value`, through the page's own prompt. */
  async function signInAs(value) {
    await page.goto(BASE + '/');
    await page.locator('.topbar-end button', { hasText: 'Sign out' }).click();
    await page.locator('form.token-card').waitFor();
    await page.fill('#token', value);
    await page.click('form.token-card button[type=submit]');
    await page.locator('.topbar .nav a.active', { hasText: 'Deployments' }).waitFor();
  }

  /** The visible buttons in `scope` (a selector) that would change something, by their data-action. */
  const actionsIn = async (scope) => (await page.locator(`${scope} button[data-action]:visible`)
    .evaluateAll((buttons) => buttons.map((button) => button.dataset.action)))
    .filter((action) => action !== 'first-error'); // a reading aid of the log, not an action

  await step('a read token sees every page but no button that would change anything', async () => {
    await page.goto(`${BASE}/#/projects/${env('PROJECT')}`);
    await page.locator(`.history .row[data-id="${env('PROMOTE')}"] button[data-action="rollback"]`).waitFor();
    const asAdmin = await actionsIn('main');
    if (asAdmin.length === 0) throw new Error('the admin token sees no button on the project page to compare with');
    const reader = await api('POST', '/tokens', { name: 'dashboard reader', scope: 'read' });
    await signInAs(reader.token);
    await row(deployedId).waitFor();
    const listed = await actionsIn('main');
    if (listed.length !== 0) throw new Error(`the deployments page offers ${listed} to a read token`);
    await page.goto(`${BASE}/#/deployments/${deployedId}`);
    await page.locator('.page-header .badge[data-state="deployed"]').waitFor();
    const detail = await actionsIn('main');
    if (detail.length !== 0) throw new Error(`a deployment's page offers ${detail} to a read token`);
    await page.goto(`${BASE}/#/projects/${env('PROJECT')}`);
    await page.locator(`.history .row[data-id="${env('PROMOTE')}"]`).waitFor();
    const project = await actionsIn('main');
    if (project.length !== 0) throw new Error(`the project page offers ${project} to a read token`);
    if (await page.locator('main', { hasText: 'Roll back points' }).count() !== 0) throw new Error('a read token is told how to roll back');
    await shoot('read-token-project');
  });

  await step("a deploy token of the project gets the project's buttons and none for a deployment of no project", async () => {
    const deployer = await api('POST', '/tokens', { name: 'ci of the project', scope: 'deploy', projects: [env('PROJECT')] });
    await signInAs(deployer.token);
    await page.goto(`${BASE}/#/projects/${env('PROJECT')}`);
    await page.locator(`.history .row[data-id="${env('PROMOTE')}"] button[data-action="rollback"]`).waitFor();
    await page.locator('.page-header button[data-action="deploy"]').waitFor();
    await page.goto(`${BASE}/#/deployments/${deployedId}`);
    await page.locator('.page-header .badge[data-state="deployed"]').waitFor();
    const detail = await actionsIn('.page-header');
    if (detail.length !== 0) throw new Error(`a deployment of no project offers ${detail} to a project's deploy token`);
  });

  await step('the page broke no rule of its Content-Security-Policy', async () => {
    if (violations.length > 0) throw new Error(violations.join('\n'));
  });
  console.log(`screenshots in ${SHOTS}`);
  console.log(JSON.stringify({ deployedId, colourId, slowId }));
} catch (error) {
  console.log(`FAIL ${current}: ${error.message}`);
  await page.screenshot({ path: join(SHOTS, 'failure.png'), fullPage: true }).catch(() => {});
  console.log(`the page when it failed: ${join(SHOTS, 'failure.png')}`);
  if (violations.length > 0) console.log(`console: ${violations.join('\n')}`);
  process.exitCode = 1;
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
}
