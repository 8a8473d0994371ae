function renderProfileCard(user) {
  return `<div class="card"><h2>${user.name}</h2>` +
    `<p>${user.bio}</p>` +
    `<a href="/u/${user.handle}">profile</a></div>`;
}
