// The page's entry: sign-in with an API token (kept in session storage only), then the view the
// token's role allows. Reviewers get the flag queue; analysts and admins get trends; nothing else.

import { api, token } from "./api.js";
import { renderAnalyst } from "./analyst.js";
import { clear, h } from "./dom.js";
import { renderFlag } from "./flag.js";
import { clearError, focusHeading, say, showError } from "./notify.js";
import { renderQueue } from "./queue.js";

const $ = (id) => document.getElementById(id);
let me = null;

function showSignIn() {
  me = null;
  $("sign-in-view").hidden = false;
  $("sign-out").hidden = true;
  $("nav").hidden = true;
  clear($("who"));
  clear($("view"));
}

function showSignedIn() {
  $("sign-in-view").hidden = true;
  $("sign-out").hidden = false;
  $("who").textContent = `Signed in as ${me.name} (${me.role})`;
  const nav = clear($("nav"));
  if (me.role === "reviewer") nav.append(h("a", { href: "#/queue" }, "Queue"));
  if (me.role === "analyst" || me.role === "admin") nav.append(h("a", { href: "#/trends" }, "Trends"));
  nav.append(h("a", { href: "/docs" }, "API docs"));
  nav.hidden = false;
}

async function route({ focus = true } = {}) {
  if (!me) return;
  // A fresh container per navigation: a slow, superseded render writes into a detached node.
  const view = h("div");
  $("view").replaceChildren(view);
  const hash = window.location.hash || "";
  const flag = /^#\/flags\/(\d{1,12})$/.exec(hash);
  if (me.role === "reviewer" && flag) await renderFlag(view, Number(flag[1]), { me: me.token_id });
  else if (me.role === "reviewer") await renderQueue(view);
  else if (me.role === "analyst" || me.role === "admin") await renderAnalyst(view);
  else {
    view.append(
      h("h1", {}, "Nothing to show here"),
      h("p", {}, `The ${me.role} role has no view on this page. The API and its documentation are at `, h("a", { href: "/docs" }, "/docs"), "."),
    );
  }
  if (focus) focusHeading(view);
}

async function signIn(secret, { silent = false } = {}) {
  try {
    me = await api("/me", { bearer: secret });
  } catch (err) {
    token.clear();
    showSignIn();
    if (!silent || err.status !== 401) showError(`Could not sign in: ${err.message}`);
    $("token").focus();
    return;
  }
  token.set(secret);
  clearError();
  showSignedIn();
  say(`Signed in as ${me.name}.`);
  await route();
}

function signOut() {
  token.clear();
  showSignIn();
  clearError();
  window.location.hash = "";
  say("Signed out. The token has been removed from this tab.");
  $("token").value = "";
  $("token").focus();
}

function boot() {
  $("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const secret = $("token").value.trim();
    if (!secret) {
      showError("Enter your API token.");
      $("token").focus();
      return;
    }
    $("token").value = "";
    signIn(secret);
  });
  $("sign-out").addEventListener("click", signOut);
  window.addEventListener("hashchange", () => {
    clearError();
    route();
  });
  const saved = token.get();
  if (saved) signIn(saved, { silent: true });
  else showSignIn();
}

boot();
