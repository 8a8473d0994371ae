import app.directory.UserDirectory;

public class FunctionalTest {
    public static void main(String[] args) throws Exception {
        UserDirectory dir = new UserDirectory(Users.XML);
        Check.test("valid login", () -> Check.equal("staff", dir.authenticate("ben", "ben-pw")));
        Check.test("wrong password", () -> Check.equal(null, dir.authenticate("ben", "nope")));
        Check.test("unknown user", () -> Check.equal(null, dir.authenticate("zed", "ben-pw")));
        Check.finish();
    }
}
