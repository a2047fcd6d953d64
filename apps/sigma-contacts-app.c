/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-contacts-app.h"

/**
 * SigmaContactsApp:
 *
 * An address book (ARE's `ContactsApp`; apps.md).
 *
 * Since: 0.1
 */

struct _SigmaContactsApp
{
  SigmaApp parent_instance;
};

G_DEFINE_FINAL_TYPE (SigmaContactsApp, sigma_contacts_app, SIGMA_TYPE_APP)

static void
sigma_contacts_app_class_init (SigmaContactsAppClass *klass)
{
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  app_class->app_class_name = "ContactsApp";
}

static void
sigma_contacts_app_init (SigmaContactsApp *self)
{
}

/**
 * sigma_contacts_app_new:
 * @name: (nullable): the instance name; "ContactsApp" when %NULL
 *
 * Returns: (transfer full): a new #SigmaContactsApp
 */
SigmaApp *
sigma_contacts_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_CONTACTS_APP, "name", name != NULL ? name : "ContactsApp", NULL);
}
