final class Users {
    static final String XML = "<users>"
        + "<user name=\"admin\" password=\"Xk2!vq9\" role=\"admin\"/>"
        + "<user name=\"ben\" password=\"ben-pw\" role=\"staff\"/>"
        + "</users>";
}
