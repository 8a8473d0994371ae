function renderProfileCard(user) {
  return `<div class="card"><h2>${escapeHtml(user.name)}</h2>` +
    `<p>${escapeHtml(user.bio)}</p>` +
    `<a href="/u/${encodeURIComponent(user.handle)}">profile</a></div>`;
}
