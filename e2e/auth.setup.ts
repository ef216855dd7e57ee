import { test as setup } from "./fixtures";
import { ADMIN_STATE, DEMO_ADMIN, signInThroughForm } from "./pages/sign-in";

/** Every dashboard spec runs signed in as the demo admin; auth.spec.ts signs in itself. */
setup("sign in as the demo admin", async ({ page }) => {
  await signInThroughForm(page, DEMO_ADMIN);
  await page.context().storageState({ path: ADMIN_STATE });
});
