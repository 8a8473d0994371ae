function loadAsset(root, urlPath) {
  const file = path.join(root, urlPath);
  try {
    return fs.readFileSync(file);
  } catch (err) {
    return null;
  }
}
