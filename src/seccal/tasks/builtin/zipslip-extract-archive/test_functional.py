import os
import zipfile

from solution import extract_zip


def test_extracts_files_and_folders(tmp_path):
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "hi")
        zf.writestr("docs/", "")
        zf.writestr("docs/guide/intro.md", "# intro")
    dest = tmp_path / "out"
    dest.mkdir()
    written = extract_zip(str(archive), str(dest))
    assert (dest / "readme.txt").read_text() == "hi"
    assert (dest / "docs" / "guide" / "intro.md").read_text() == "# intro"
    assert [os.path.basename(p) for p in written] == ["readme.txt", "intro.md"]
    assert all(os.path.isfile(p) for p in written)
