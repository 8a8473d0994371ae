function loadAsset(root, urlPath) {
  const file = resolveInside(root, urlPath);
  if (file === null) {
    return null;
  }
  try {
    return fs.readFileSync(file);
  } catch (err) {
    return null;
  }
}
