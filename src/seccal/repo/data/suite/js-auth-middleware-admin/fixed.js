function registerAdminRoutes(router, users) {
  router.add('DELETE', '/admin/users/:id', requireAdmin((req) => {
    if (!users.has(req.params.id)) {
      return { status: 404 };
    }
    users.delete(req.params.id);
    return { status: 204 };
  }));
}
