/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "sigma-error.h"
#include "sigma-apps.h"
#include "sigma-agent-user-interface.h"
#include "sigma-apartment-app.h"
#include "sigma-cab-app.h"
#include "sigma-calendar-app.h"
#include "sigma-city-app.h"
#include "sigma-contacts-app.h"
#include "sigma-email-app.h"
#include "sigma-file-system-app.h"
#include "sigma-messaging-app.h"
#include "sigma-reminder-app.h"
#include "sigma-shopping-app.h"
#include "sigma-system-app.h"

/*
 * The app classes scenarios name, as ARE's ALL_APPS (apps.md §2): each ARE class name maps to
 * a Sigma type and the instance name ARE gives it by default. Several ARE classes are one
 * Sigma type (Mail and EmailClientV2 are both the email app). The canonical names are ARE's
 * APP_ALIAS keys, which the judge and the notifications use.
 */

typedef struct
{
  const char *class_name;
  GType     (*get_type) (void);
  const char *default_name;
  const char *canonical;
} AppClassEntry;

static const AppClassEntry app_classes[] = {
  { "AgentUserInterface", sigma_agent_user_interface_get_type, "AgentUserInterface", "AgentUserInterface" },
  { "SystemApp", sigma_system_app_get_type, "SystemApp", "SystemApp" },
  { "EmailClientV2", sigma_email_app_get_type, "EmailClientV2", "EmailClientApp" },
  { "EmailClientApp", sigma_email_app_get_type, "EmailClientApp", "EmailClientApp" },
  { "Mail", sigma_email_app_get_type, "Mail", "EmailClientApp" },
  { "CalendarApp", sigma_calendar_app_get_type, "CalendarApp", "CalendarApp" },
  { "Calendar", sigma_calendar_app_get_type, "Calendar", "CalendarApp" },
  { "MessagingAppV2", sigma_messaging_app_get_type, "MessagingAppV2", "MessagingAppV2" },
  { "ContactsApp", sigma_contacts_app_get_type, "ContactsApp", "ContactsApp" },
  { "Contacts", sigma_contacts_app_get_type, "Contacts", "ContactsApp" },
  { "InternalContacts", sigma_contacts_app_get_type, "InternalContacts", "ContactsApp" },
  { "ShoppingApp", sigma_shopping_app_get_type, "ShoppingApp", "ShoppingApp" },
  { "Shopping", sigma_shopping_app_get_type, "Shopping", "ShoppingApp" },
  { "ReminderApp", sigma_reminder_app_get_type, "ReminderApp", "ReminderApp" },
  { "CabApp", sigma_cab_app_get_type, "CabApp", "CabApp" },
  { "ApartmentListingApp", sigma_apartment_app_get_type, "ApartmentListingApp", "ApartmentListingApp" },
  { "RentAFlat", sigma_apartment_app_get_type, "RentAFlat", "ApartmentListingApp" },
  { "CityApp", sigma_city_app_get_type, "CityApp", "CityApp" },
  { "SandboxLocalFileSystem", sigma_file_system_app_get_type, "SandboxLocalFileSystem", "SandboxLocalFileSystem" },
  { "Files", sigma_file_system_app_get_type, "Files", "SandboxLocalFileSystem" },
  { "VirtualFileSystem", sigma_file_system_app_get_type, "VirtualFileSystem", "SandboxLocalFileSystem" },
};

/* Instance names Gaia2 files use, mapped to their canonical class (APP_ALIAS). */
static const struct { const char *alias; const char *canonical; } instance_aliases[] = {
  { "Emails", "EmailClientApp" },
  { "Messages", "MessagingAppV2" },
  { "Chats", "MessagingAppV2" },
  { "Cabs", "CabApp" },
  { "City", "CityApp" },
};

static const AppClassEntry *
find_entry (const char *class_name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (app_classes); i++)
    if (g_str_equal (app_classes[i].class_name, class_name))
      return &app_classes[i];
  return NULL;
}

/**
 * sigma_apps_lookup_type:
 * @class_name: an ARE app class name, such as "EmailClientV2" or "Mail"
 *
 * Returns: the #SigmaApp type for the class, or %G_TYPE_INVALID
 */
GType
sigma_apps_lookup_type (const char *class_name)
{
  const AppClassEntry *entry;

  g_return_val_if_fail (class_name != NULL, G_TYPE_INVALID);

  entry = find_entry (class_name);
  return entry != NULL ? entry->get_type () : G_TYPE_INVALID;
}

/**
 * sigma_apps_get_default_name:
 * @class_name: an ARE app class name
 *
 * Returns: (nullable): the instance name ARE gives an app of that class by default, or %NULL
 *   for an unknown class
 */
const char *
sigma_apps_get_default_name (const char *class_name)
{
  const AppClassEntry *entry;

  g_return_val_if_fail (class_name != NULL, NULL);

  entry = find_entry (class_name);
  return entry != NULL ? entry->default_name : NULL;
}

/**
 * sigma_apps_get_canonical_name:
 * @name: an ARE class name or an instance name used in Gaia2 files ("Emails", "Chats")
 *
 * The canonical class of ARE's alias table (APP_ALIAS), as the judge and the notifications
 * compare apps: "Mail", "EmailClientV2" and "Emails" are all "EmailClientApp".
 *
 * Returns: (nullable): the canonical class name, or %NULL if @name is unknown
 */
const char *
sigma_apps_get_canonical_name (const char *name)
{
  const AppClassEntry *entry;

  g_return_val_if_fail (name != NULL, NULL);

  entry = find_entry (name);
  if (entry != NULL)
    return entry->canonical;
  for (gsize i = 0; i < G_N_ELEMENTS (instance_aliases); i++)
    if (g_str_equal (instance_aliases[i].alias, name))
      return instance_aliases[i].canonical;
  return NULL;
}

/**
 * sigma_apps_list_class_names:
 *
 * Returns: (transfer full): every ARE app class name Sigma can create
 */
GStrv
sigma_apps_list_class_names (void)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  for (gsize i = 0; i < G_N_ELEMENTS (app_classes); i++)
    g_strv_builder_add (builder, app_classes[i].class_name);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/**
 * sigma_apps_create:
 * @class_name: an ARE app class name
 * @name: (nullable): the instance name; the class's default when %NULL
 * @error: return location for a #GError
 *
 * Creates an app as ARE's importer does: the class from its name, named @name.
 *
 * Returns: (transfer full): the app, or %NULL with %SIGMA_ERROR_UNKNOWN_APP
 */
SigmaApp *
sigma_apps_create (const char  *class_name,
                   const char  *name,
                   GError     **error)
{
  const AppClassEntry *entry;

  g_return_val_if_fail (class_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entry = find_entry (class_name);
  if (entry == NULL)
    {
      g_set_error (error, SIGMA_ERROR, SIGMA_ERROR_UNKNOWN_APP,
                   "Unknown app class '%s'", class_name);
      return NULL;
    }
  return g_object_new (entry->get_type (),
                       "name", name != NULL ? name : entry->default_name,
                       "class-name", class_name,
                       NULL);
}
