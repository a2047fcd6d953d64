/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sigma-contacts-app.h"
#include "sigma-app-util.h"
#include "sigma-error.h"
#include "sigma-random.h"

/**
 * SigmaContactsApp:
 *
 * An address book (ARE's `ContactsApp`, `Contacts` and `InternalContacts`; apps.md §8).
 *
 * Contacts live in a table keyed by the id under which they were stored, in insertion order
 * (ARE's dict). One contact may be the user (`is_user`). get_contacts pages through them
 * `view_limit` at a time.
 *
 * Since: 0.1
 */

#define DEFAULT_VIEW_LIMIT 10
#define MAX_VIEW_LIMIT     1000
#define MIN_AGE            1
#define MAX_AGE            100

/* The fields of ARE's Contact, in declaration order: the order of its JSON. */
typedef enum
{
  FIELD_FIRST_NAME,
  FIELD_LAST_NAME,
  FIELD_CONTACT_ID,
  FIELD_IS_USER,
  FIELD_GENDER,
  FIELD_AGE,
  FIELD_NATIONALITY,
  FIELD_CITY_LIVING,
  FIELD_COUNTRY,
  FIELD_STATUS,
  FIELD_JOB,
  FIELD_DESCRIPTION,
  FIELD_PHONE,
  FIELD_EMAIL,
  FIELD_ADDRESS,
  N_FIELDS
} Field;

static const char * const field_names[N_FIELDS] = {
  "first_name", "last_name", "contact_id", "is_user", "gender", "age", "nationality",
  "city_living", "country", "status", "job", "description", "phone", "email", "address",
};

/* The optional text fields: `str | None` in ARE. */
static const Field text_fields[] = {
  FIELD_NATIONALITY, FIELD_CITY_LIVING, FIELD_COUNTRY, FIELD_JOB, FIELD_DESCRIPTION,
  FIELD_PHONE, FIELD_EMAIL, FIELD_ADDRESS,
};

/* ARE's Gender and Status enums: member names and JSON values. */
typedef struct
{
  const char         *name;       /* the Python class, for error messages */
  const char * const *members;
  const char * const *values;
  guint               n_values;
  guint               unknown;    /* the default, UNKNOWN */
} EnumInfo;

static const char * const gender_members[] = { "FEMALE", "MALE", "OTHER", "UNKNOWN" };
static const char * const gender_values[] = { "Female", "Male", "Other", "Unknown" };
static const char * const status_members[] = { "STUDENT", "EMPLOYED", "UNEMPLOYED", "RETIRED", "UNKNOWN" };
static const char * const status_values[] = { "Student", "Employed", "Unemployed", "Retired", "Unknown" };

static const EnumInfo gender_enum = { "Gender", gender_members, gender_values, G_N_ELEMENTS (gender_values), 3 };
static const EnumInfo status_enum = { "Status", status_members, status_values, G_N_ELEMENTS (status_values), 4 };

typedef struct
{
  char     *text[N_FIELDS];       /* the string fields, indexed by Field; NULL is None */
  gboolean  is_user;
  guint     gender;               /* index into gender_enum */
  guint     status;               /* index into status_enum */
  gboolean  has_age;
  gint64    age;
} Contact;

struct _SigmaContactsApp
{
  SigmaApp         parent_instance;

  /* ARE's dict of contacts: Contact by the key under which it was stored (what tools look
   * contacts up by), in insertion order */
  SigmaOrderedMap *contacts;
  gint64           view_limit;
};

G_DEFINE_FINAL_TYPE (SigmaContactsApp, sigma_contacts_app, SIGMA_TYPE_APP)

/* ------------------------------------------------------------------------------------ */
/* Python reprs, which ARE's error messages contain                                     */

static void
append_py_string (GString    *out,
                  const char *text)
{
  /* repr(str): single quotes unless the text has a single quote and no double quote */
  char quote = strchr (text, '\'') != NULL && strchr (text, '"') == NULL ? '"' : '\'';

  g_string_append_c (out, quote);
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '\\' || c == (guchar) quote)
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, quote);
}

/* repr(float): the shortest digits that round-trip, positional when the decimal exponent is
 * in [-4, 16), otherwise scientific with a two-digit exponent. */
static void
append_py_float (GString *out,
                 gdouble  value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char digits[20];
  guint n_digits = 0;
  gint exponent;
  const char *p;

  if (isnan (value) || isinf (value))
    {
      g_string_append (out, isnan (value) ? "nan" : value > 0 ? "inf" : "-inf");
      return;
    }
  for (gint precision = 0; precision < 17; precision++)
    {
      g_autofree char *format = g_strdup_printf ("%%.%de", precision);

      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  p = buf;
  if (*p == '-')
    g_string_append_c (out, *p++);
  for (; *p != 'e'; p++)
    if (g_ascii_isdigit (*p))
      digits[n_digits++] = *p;
  exponent = atoi (p + 1);
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';

  if (exponent < -4 || exponent >= 16)
    {
      g_string_append_c (out, digits[0]);
      if (n_digits > 1)
        g_string_append_printf (out, ".%s", digits + 1);
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
    }
  else if (exponent < 0)
    {
      g_string_append (out, "0.");
      for (gint i = exponent + 1; i < 0; i++)
        g_string_append_c (out, '0');
      g_string_append (out, digits);
    }
  else
    {
      for (gint i = 0; i <= exponent; i++)
        g_string_append_c (out, (guint) i < n_digits ? digits[i] : '0');
      g_string_append_c (out, '.');
      g_string_append (out, (guint) exponent + 1 < n_digits ? digits + exponent + 1 : "0");
    }
}

/* repr() of the Python value a JSON value becomes. */
static void
append_py_repr (GString  *out,
                JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    g_string_append (out, "None");
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_py_repr (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &member, &value))
        {
          if (!first)
            g_string_append (out, ", ");
          first = FALSE;
          append_py_string (out, member);
          g_string_append (out, ": ");
          append_py_repr (out, value);
        }
      g_string_append_c (out, '}');
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    append_py_string (out, json_node_get_string (node));
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "True" : "False");
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else
    append_py_float (out, json_node_get_double (node));
}

static char *
py_repr (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  append_py_repr (out, node);
  return g_string_free (out, FALSE);
}

/* The Python type name of a JSON value, as TypeErrors print it. */
static const char *
py_type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "NoneType";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "list";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "dict";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return "str";
    case G_TYPE_BOOLEAN: return "bool";
    case G_TYPE_INT64: return "int";
    default: return "float";
    }
}

/* ARE's `KeyError(message)`, whose str() is the repr of the message. */
static void
key_error (GError     **error,
           const char  *message)
{
  g_autoptr(JsonNode) node = sigma_json_string (message);
  g_autofree char *repr = py_repr (node);

  if (repr[0] == '\'' && strchr (message, '\\') == NULL)
    sigma_tool_key_error (error, message);
  else
    sigma_tool_error (error, "%s", repr);   /* quoting that needs Python's rules */
}

/* ------------------------------------------------------------------------------------ */
/* Contacts                                                                             */

static void
contact_free (Contact *contact)
{
  for (guint i = 0; i < N_FIELDS; i++)
    g_free (contact->text[i]);
  g_free (contact);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Contact, contact_free)

static Contact *
contact_new (void)
{
  Contact *contact = g_new0 (Contact, 1);

  contact->gender = gender_enum.unknown;
  contact->status = status_enum.unknown;
  return contact;
}

static Contact *
contact_copy (const Contact *contact)
{
  Contact *copy = g_memdup2 (contact, sizeof *contact);

  for (guint i = 0; i < N_FIELDS; i++)
    copy->text[i] = g_strdup (contact->text[i]);
  return copy;
}

/* The contact as ARE serialises it: fields in declaration order, enums as their values. */
static JsonNode *
contact_to_json (const Contact *contact)
{
  JsonObject *obj = json_object_new ();

  for (guint field = 0; field < N_FIELDS; field++)
    {
      JsonNode *value;

      switch (field)
        {
        case FIELD_IS_USER:
          value = sigma_json_bool (contact->is_user);
          break;
        case FIELD_GENDER:
          value = sigma_json_string (gender_enum.values[contact->gender]);
          break;
        case FIELD_STATUS:
          value = sigma_json_string (status_enum.values[contact->status]);
          break;
        case FIELD_AGE:
          value = contact->has_age ? sigma_json_int (contact->age) : sigma_json_null ();
          break;
        default:
          value = sigma_json_string (contact->text[field]);
        }
      json_object_set_member (obj, field_names[field], value);
    }
  return sigma_json_object (obj);
}

static char *
folded (const char *text)
{
  return text != NULL ? g_utf8_strdown (text, -1) : NULL;
}

/* search_contacts: the lowercased query in the first name, last name, phone, email,
 * "first last" or "last first" (each name lowercased on its own, as ARE does). */
static gboolean
contact_matches_query (const Contact *contact,
                       const char    *query)
{
  g_autofree char *first = folded (contact->text[FIELD_FIRST_NAME]);
  g_autofree char *last = folded (contact->text[FIELD_LAST_NAME]);
  g_autofree char *phone = folded (contact->text[FIELD_PHONE]);
  g_autofree char *email = folded (contact->text[FIELD_EMAIL]);
  g_autofree char *first_last = g_strconcat (first, " ", last, NULL);
  g_autofree char *last_first = g_strconcat (last, " ", first, NULL);

  return strstr (first, query) != NULL ||
         strstr (last, query) != NULL ||
         (phone != NULL && strstr (phone, query) != NULL) ||
         (email != NULL && strstr (email, query) != NULL) ||
         strstr (first_last, query) != NULL ||
         strstr (last_first, query) != NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Validation shared by the tools                                                       */

/* `Gender(value)` / `Status(value)`: the exact JSON value. */
static gboolean
enum_from_value (const EnumInfo *info,
                 const char     *value,
                 guint          *index)
{
  for (guint i = 0; i < info->n_values; i++)
    if (g_str_equal (info->values[i], value))
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

/* Contact._validate_enum_field: a string, with an optional "Gender."-style prefix, that
 * matches a member name or value ignoring case. */
static gboolean
enum_from_loose (const EnumInfo *info,
                 const char     *value,
                 guint          *index)
{
  const char *dot = strrchr (value, '.');

  if (dot != NULL)
    value = dot + 1;
  for (guint i = 0; i < info->n_values; i++)
    if (g_ascii_strcasecmp (info->members[i], value) == 0 || g_ascii_strcasecmp (info->values[i], value) == 0)
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

/* Python's `ValueError: <repr> is not a valid Gender`. */
static void
enum_error (const EnumInfo  *info,
            JsonNode        *value,
            GError         **error)
{
  g_autofree char *repr = py_repr (value);

  sigma_tool_error (error, "%s is not a valid %s", repr, info->name);
}

static gboolean
enum_from_arg (const EnumInfo  *info,
               const char      *value,
               guint           *index,
               GError         **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (value == NULL)
    {
      *index = info->unknown;
      return TRUE;
    }
  if (enum_from_value (info, value, index))
    return TRUE;
  node = sigma_json_string (value);
  enum_error (info, node, error);
  return FALSE;
}

/* The update of a Gender or Status field in edit_contact. */
static gboolean
enum_from_update (const EnumInfo  *info,
                  JsonNode        *value,
                  guint           *index,
                  GError         **error)
{
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (value);
      const char *dot = strrchr (text, '.');
      g_autoptr(JsonNode) stripped = NULL;

      if (enum_from_loose (info, text, index))
        return TRUE;
      /* ARE reports the value without its prefix */
      stripped = sigma_json_string (dot != NULL ? dot + 1 : text);
      enum_error (info, stripped, error);
      return FALSE;
    }
  enum_error (info, value, error);
  return FALSE;
}

/* ARE's `ValueError("Invalid age.", age)`, whose str() is the tuple. */
static void
age_error (JsonNode  *value,
           GError   **error)
{
  g_autofree char *repr = py_repr (value);

  sigma_tool_error (error, "('Invalid age.', %s)", repr);
}

static gboolean
age_is_valid (gint64 age)
{
  return age >= MIN_AGE && age <= MAX_AGE;
}

/* An age from edit_contact: null, or a whole number from 1 to 100. ARE compares the value
 * with 1 and 100, which fails with a TypeError for strings, lists and dicts. */
static gboolean
age_from_update (JsonNode  *value,
                 gboolean  *has_age,
                 gint64    *age,
                 GError   **error)
{
  GType type;

  if (JSON_NODE_HOLDS_NULL (value))
    {
      *has_age = FALSE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) == G_TYPE_STRING)
    {
      sigma_tool_error (error, "'<=' not supported between instances of 'int' and '%s'", py_type_name (value));
      return FALSE;
    }
  type = json_node_get_value_type (value);
  /* Sigma keeps ages whole: a fractional or boolean age is refused (ARE stores it) */
  if (type == G_TYPE_INT64 && age_is_valid (json_node_get_int (value)))
    *age = json_node_get_int (value);
  else if (type == G_TYPE_DOUBLE && json_node_get_double (value) == floor (json_node_get_double (value)) &&
           age_is_valid ((gint64) json_node_get_double (value)))
    *age = (gint64) json_node_get_double (value);
  else
    {
      age_error (value, error);
      return FALSE;
    }
  *has_age = TRUE;
  return TRUE;
}

static Field
field_from_name (const char *name)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (g_str_equal (field_names[i], name))
      return i;
  return N_FIELDS;
}

/* The checks of Contact.__post_init__ on the updated fields, in its order: names not None,
 * gender, age, status. */
static gboolean
apply_checked_updates (Contact     *contact,
                       JsonObject  *updates,
                       GError     **error)
{
  JsonNode *value;

  if ((value = json_object_get_member (updates, "first_name")) != NULL && JSON_NODE_HOLDS_NULL (value))
    {
      sigma_tool_error (error, "Invalid first name.");
      return FALSE;
    }
  if ((value = json_object_get_member (updates, "last_name")) != NULL && JSON_NODE_HOLDS_NULL (value))
    {
      sigma_tool_error (error, "Invalid last name.");
      return FALSE;
    }
  if ((value = json_object_get_member (updates, "gender")) != NULL &&
      !enum_from_update (&gender_enum, value, &contact->gender, error))
    return FALSE;
  if ((value = json_object_get_member (updates, "age")) != NULL &&
      !age_from_update (value, &contact->has_age, &contact->age, error))
    return FALSE;
  if ((value = json_object_get_member (updates, "status")) != NULL &&
      !enum_from_update (&status_enum, value, &contact->status, error))
    return FALSE;
  return TRUE;
}

/* The other fields, whose types ARE does not check at all (a number as first name breaks
 * search_contacts later); Sigma does, after ARE's own checks. */
static gboolean
apply_typed_updates (SigmaContactsApp  *self,
                     Contact           *contact,
                     JsonObject        *updates,
                     GError           **error)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  json_object_iter_init_ordered (&iter, updates);
  while (json_object_iter_next_ordered (&iter, &member, &value))
    {
      Field field = field_from_name (member);

      switch (field)
        {
        case FIELD_GENDER:
        case FIELD_AGE:
        case FIELD_STATUS:
          break;
        case FIELD_IS_USER:
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
            {
              sigma_tool_error (error, "is_user must be true or false.");
              return FALSE;
            }
          contact->is_user = json_node_get_boolean (value);
          break;
        case FIELD_FIRST_NAME:
        case FIELD_LAST_NAME:
        case FIELD_CONTACT_ID:
          if (!JSON_NODE_HOLDS_NULL (value) && !sigma_json_is_string (value))
            {
              sigma_tool_error (error, "%s must be a string.", member);
              return FALSE;
            }
          sigma_set_string (&contact->text[field], JSON_NODE_HOLDS_NULL (value) ? NULL : json_node_get_string (value));
          break;
        default:
          if (!JSON_NODE_HOLDS_NULL (value) && !sigma_json_is_string (value))
            {
              sigma_tool_error (error, "%s must be a string or null.", member);
              return FALSE;
            }
          sigma_set_string (&contact->text[field], JSON_NODE_HOLDS_NULL (value) ? NULL : json_node_get_string (value));
        }
    }

  /* Contact.__post_init__ replaces an empty id (ARE: with uuid4; Sigma: from the app rng).
   * The contact stays under its old key. */
  if (contact->text[FIELD_CONTACT_ID] == NULL || *contact->text[FIELD_CONTACT_ID] == '\0')
    {
      g_free (contact->text[FIELD_CONTACT_ID]);
      contact->text[FIELD_CONTACT_ID] = sigma_random_uuid_hex (sigma_app_get_rand (SIGMA_APP (self)));
    }
  return TRUE;
}

static Contact *
lookup_contact (SigmaContactsApp  *self,
                const char        *contact_id,
                GError           **error)
{
  Contact *contact = sigma_ordered_map_lookup (self->contacts, contact_id);

  if (contact == NULL)
    key_error (error, "Contact does not exist.");
  return contact;
}

/* add_new_contact refuses a second contact with the same first and last name, ignoring case;
 * ARE reports the last such contact of its name → id map. */
static const Contact *
find_same_name (SigmaContactsApp *self,
                const char       *first_name,
                const char       *last_name)
{
  g_autofree char *first = g_utf8_strdown (first_name, -1);
  g_autofree char *last = g_utf8_strdown (last_name, -1);
  const Contact *found = NULL;
  SigmaOrderedMapIter iter;
  const Contact *contact;

  sigma_ordered_map_iter_init (&iter, self->contacts);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &contact))
    {
      g_autofree char *other_first = g_utf8_strdown (contact->text[FIELD_FIRST_NAME], -1);
      g_autofree char *other_last = g_utf8_strdown (contact->text[FIELD_LAST_NAME], -1);

      if (g_str_equal (first, other_first) && g_str_equal (last, other_last))
        found = contact;
    }
  return found;
}

/* ------------------------------------------------------------------------------------ */
/* Tools                                                                                */

static JsonNode *
tool_get_contacts (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (app);
  gint64 offset = sigma_args_int (args, "offset");
  gint64 total = sigma_ordered_map_size (self->contacts);
  gint64 stop;
  JsonObject *result, *metadata;
  JsonArray *contacts, *range;
  SigmaOrderedMapIter iter;
  Contact *contact;

  if (!sigma_check_offset_limit ("get_contacts", offset, 0, MAX_VIEW_LIMIT, error))
    return NULL;

  /* Python: contacts[offset:offset + view_limit], range (offset, min(offset + view_limit, n)) */
  stop = offset <= total - self->view_limit ? offset + self->view_limit : total;
  contacts = json_array_new ();
  sigma_ordered_map_iter_init_at (&iter, self->contacts, (guint) MIN (offset, total));
  for (gint64 i = offset; i < stop && sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &contact); i++)
    json_array_add_element (contacts, contact_to_json (contact));

  range = json_array_sized_new (2);
  json_array_add_int_element (range, offset);
  json_array_add_int_element (range, stop);
  metadata = json_object_new ();
  json_object_set_array_member (metadata, "range", range);
  json_object_set_int_member (metadata, "total", total);
  result = json_object_new ();
  json_object_set_array_member (result, "contacts", contacts);
  json_object_set_object_member (result, "metadata", metadata);
  return sigma_json_object (result);
}

static JsonNode *
tool_get_contact (SigmaApp    *app,
                  JsonObject  *args,
                  gpointer     user_data,
                  GError     **error)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (app);
  const char *contact_id = sigma_args_string (args, "contact_id");
  Contact *contact = sigma_ordered_map_lookup (self->contacts, contact_id);
  g_autofree char *message = NULL;

  if (contact != NULL)
    return contact_to_json (contact);
  message = g_strdup_printf ("Contact %s does not exist.", contact_id);
  key_error (error, message);
  return NULL;
}

static JsonNode *
tool_get_current_user_details (SigmaApp    *app,
                               JsonObject  *args,
                               gpointer     user_data,
                               GError     **error)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (app);
  SigmaOrderedMapIter iter;
  Contact *contact;

  sigma_ordered_map_iter_init (&iter, self->contacts);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &contact))
    if (contact->is_user)
      return contact_to_json (contact);
  key_error (error, "User Contact does not exist.");
  return NULL;
}

static JsonNode *
tool_add_new_contact (SigmaApp    *app,
                      JsonObject  *args,
                      gpointer     user_data,
                      GError     **error)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (app);
  const char *first_name = sigma_args_string (args, "first_name");
  const char *last_name = sigma_args_string (args, "last_name");
  JsonNode *age = json_object_get_member (args, "age");
  const Contact *same;
  g_autoptr(Contact) contact = contact_new ();
  Contact *stored;

  same = find_same_name (self, first_name, last_name);
  if (same != NULL)
    {
      sigma_tool_error (error, "Contact already exists with contact id - %s.", same->text[FIELD_CONTACT_ID]);
      return NULL;
    }
  /* Exact values here ("Male", not "male"), unlike edit_contact. */
  if (!enum_from_arg (&gender_enum, sigma_args_string (args, "gender"), &contact->gender, error) ||
      !enum_from_arg (&status_enum, sigma_args_string (args, "status"), &contact->status, error))
    return NULL;

  /* The id is drawn before Contact.__post_init__ checks the age. */
  contact->text[FIELD_CONTACT_ID] = sigma_random_uuid_hex (sigma_app_get_rand (app));
  if (age != NULL && !JSON_NODE_HOLDS_NULL (age))
    {
      if (!age_is_valid (json_node_get_int (age)))
        {
          age_error (age, error);
          return NULL;
        }
      contact->has_age = TRUE;
      contact->age = json_node_get_int (age);
    }

  sigma_set_string (&contact->text[FIELD_FIRST_NAME], first_name);
  sigma_set_string (&contact->text[FIELD_LAST_NAME], last_name);
  for (gsize i = 0; i < G_N_ELEMENTS (text_fields); i++)
    sigma_set_string (&contact->text[text_fields[i]], sigma_args_string (args, field_names[text_fields[i]]));

  /* stored under its id; as in a Python dict, an id stored again keeps its place */
  stored = g_steal_pointer (&contact);
  sigma_ordered_map_insert (self->contacts, stored->text[FIELD_CONTACT_ID], stored);
  return sigma_json_string (stored->text[FIELD_CONTACT_ID]);
}

/* All or nothing: ARE applies the updates one by one and keeps those before an unknown field
 * (doc/compat/contacts-app.md); its validation failures restore the old contact. */
static JsonNode *
tool_edit_contact (SigmaApp    *app,
                   JsonObject  *args,
                   gpointer     user_data,
                   GError     **error)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (app);
  const char *contact_id = sigma_args_string (args, "contact_id");
  JsonObject *updates = sigma_args_object (args, "updates");
  g_autoptr(Contact) edited = NULL;
  JsonObjectIter iter;
  const char *member;
  Contact *contact;

  contact = lookup_contact (self, contact_id, error);
  if (contact == NULL)
    return NULL;

  json_object_iter_init_ordered (&iter, updates);
  while (json_object_iter_next_ordered (&iter, &member, NULL))
    if (field_from_name (member) == N_FIELDS)
      {
        sigma_tool_error (error, "%s is not a valid attribute of Contact.", member);
        return NULL;
      }

  edited = contact_copy (contact);
  if (!apply_checked_updates (edited, updates, error) ||
      !apply_typed_updates (self, edited, updates, error))
    return NULL;

  /* the edited copy replaces the contact under its key, in its place */
  sigma_ordered_map_insert (self->contacts, contact_id, g_steal_pointer (&edited));
  return sigma_json_string_printf ("Contact %s updated successfully.", contact_id);
}

static JsonNode *
tool_delete_contact (SigmaApp    *app,
                     JsonObject  *args,
                     gpointer     user_data,
                     GError     **error)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (app);
  const char *contact_id = sigma_args_string (args, "contact_id");

  if (lookup_contact (self, contact_id, error) == NULL)
    return NULL;
  sigma_ordered_map_remove (self->contacts, contact_id);
  return sigma_json_string_printf ("Contact %s successfully deleted.", contact_id);
}

static JsonNode *
tool_search_contacts (SigmaApp    *app,
                      JsonObject  *args,
                      gpointer     user_data,
                      GError     **error)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (app);
  g_autofree char *query = g_utf8_strdown (sigma_args_string (args, "query"), -1);
  JsonArray *results = json_array_new ();
  SigmaOrderedMapIter iter;
  Contact *contact;

  sigma_ordered_map_iter_init (&iter, self->contacts);
  while (sigma_ordered_map_iter_next (&iter, NULL, (gpointer *) &contact))
    if (contact_matches_query (contact, query))
      json_array_add_element (results, contact_to_json (contact));
  return sigma_json_array (results);
}

#define AGENT   SIGMA_TOOL_ROLE_AGENT
#define DATA    SIGMA_TOOL_ROLE_DATA
#define READ    SIGMA_TOOL_OPERATION_READ
#define WRITE   SIGMA_TOOL_OPERATION_WRITE
#define STRING  SIGMA_VALUE_TYPE_STRING
#define INT     SIGMA_VALUE_TYPE_INTEGER
#define OBJECT  SIGMA_VALUE_TYPE_OBJECT

#define P_CONTACT_ID { "contact_id", STRING, "The id of the contact.", NULL, 0, FALSE }
#define P_OPTIONAL(name, description) { name, STRING, description, "null", 0, TRUE }

/* ARE's registration order (source order of contacts.py). */
static const SigmaToolSpec contacts_tools[] = {
  { "get_contacts",
    "Lists the contacts a page at a time, starting at an offset; each page holds at most the app's view limit.",
    AGENT | DATA, READ, tool_get_contacts,
    "The page of contacts, with the range of positions it covers and the total number of contacts.",
    { { "offset", INT, "How many contacts to skip.", "0", 0, FALSE }, { NULL } } },
  { "get_contact",
    "Returns the details of one contact.",
    AGENT | DATA, READ, tool_get_contact, "The contact.",
    { P_CONTACT_ID, { NULL } } },
  { "get_current_user_details",
    "Returns the contact card of the user: name, phone, email, nationality, country and more.",
    AGENT | DATA, READ, tool_get_current_user_details, "The user's contact.",
    { { NULL } } },
  { "add_new_contact",
    "Adds a contact and returns its id; two contacts cannot share the same first and last name.",
    AGENT | DATA, WRITE, tool_add_new_contact, "The id of the new contact.",
    { { "first_name", STRING, "The first name.", NULL, 0, FALSE },
      { "last_name", STRING, "The last name.", NULL, 0, FALSE },
      P_OPTIONAL ("gender", "One of Male, Female, Other or Unknown (the default)."),
      { "age", INT, "The age, from 1 to 100.", "null", 0, TRUE },
      P_OPTIONAL ("nationality", "The nationality."),
      P_OPTIONAL ("city_living", "The city the contact lives in."),
      P_OPTIONAL ("country", "The country the contact lives in."),
      P_OPTIONAL ("status", "One of Student, Employed, Unemployed, Retired or Unknown (the default)."),
      P_OPTIONAL ("job", "The job."),
      P_OPTIONAL ("description", "A free-text description of the contact."),
      P_OPTIONAL ("phone", "The phone number."),
      P_OPTIONAL ("email", "The email address."),
      { "address", STRING, "The postal address.", "null", 0, FALSE },
      { NULL } } },
  { "edit_contact",
    "Changes some fields of a contact, given as an object of field names and new values.",
    AGENT | DATA, WRITE, tool_edit_contact, "A confirmation message.",
    { P_CONTACT_ID,
      { "updates", OBJECT, "The fields to change and their new values, such as {\"phone\": \"+44 20 7946 0000\"}.", NULL, 0, FALSE },
      { NULL } } },
  { "delete_contact",
    "Deletes a contact.",
    AGENT | DATA, WRITE, tool_delete_contact, "A confirmation message.",
    { P_CONTACT_ID, { NULL } } },
  { "search_contacts",
    "Finds the contacts whose first name, last name, full name, phone number or email contains the query, ignoring case.",
    AGENT, READ, tool_search_contacts, "The matching contacts.",
    { { "query", STRING, "The text to look for.", NULL, 0, FALSE }, { NULL } } },
};

#undef AGENT
#undef DATA
#undef READ
#undef WRITE
#undef STRING
#undef INT
#undef OBJECT

/* ------------------------------------------------------------------------------------ */
/* State                                                                                */

/* A string field of a stored contact. ARE reads it with `.get(name, "")`: absent is "", and
 * null stays None unless @nullable is FALSE (a None name fails ARE's validation). */
static gboolean
read_text (SigmaStateReader  *r,
           JsonObject        *obj,
           const char        *path,
           Contact           *contact,
           Field              field,
           gboolean           nullable,
           GError           **error)
{
  const char *name = field_names[field];
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL)
    sigma_set_string (&contact->text[field], "");
  else if (JSON_NODE_HOLDS_NULL (node) && nullable)
    sigma_set_string (&contact->text[field], NULL);
  else if (sigma_json_is_string (node))
    sigma_set_string (&contact->text[field], json_node_get_string (node));
  else
    return sigma_state_problem (r, error, "%s.%s: expected a string", path, name);
  return TRUE;
}

/* Gender and status are looked up by exact value on load: `Gender("Male")`. */
static gboolean
read_enum (SigmaStateReader  *r,
           JsonObject        *obj,
           const char        *path,
           const EnumInfo    *info,
           const char        *name,
           guint             *index,
           GError           **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autoptr(GString) values = g_string_new (NULL);

  if (node == NULL)
    {
      *index = info->unknown;
      return TRUE;
    }
  if (sigma_json_is_string (node) && enum_from_value (info, json_node_get_string (node), index))
    return TRUE;
  for (guint i = 0; i < info->n_values; i++)
    g_string_append_printf (values, "%s\"%s\"", i > 0 ? ", " : "", info->values[i]);
  return sigma_state_problem (r, error, "%s.%s: expected one of %s", path, name, values->str);
}

/* The age must be present (ARE reads an absent age as 0, which it rejects) and null or a
 * whole number from 1 to 100. */
static gboolean
read_age (SigmaStateReader  *r,
          JsonObject        *obj,
          const char        *path,
          Contact           *contact,
          GError           **error)
{
  JsonNode *node = json_object_get_member (obj, "age");
  gint64 age = 0;

  if (node == NULL)
    return sigma_state_missing (r, error, path, "age", "an integer or null");
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!sigma_state_get_int (r, obj, path, "age", TRUE, &age, error))
    return FALSE;
  if (!age_is_valid (age))
    return sigma_state_problem (r, error, "%s.age: %" G_GINT64_FORMAT " is not an age from %d to %d",
                                path, age, MIN_AGE, MAX_AGE);
  contact->has_age = TRUE;
  contact->age = age;
  return TRUE;
}

/* One entry of app_state.contacts (a SigmaStateEntryFunc), stored in the map @user_data.
 * Unknown members are ignored, as ARE reads only the fields it knows. */
static gboolean
read_contact (SigmaStateReader  *r,
              const char        *key,
              JsonObject        *obj,
              const char        *path,
              gpointer           user_data,
              GError           **error)
{
  SigmaOrderedMap *contacts = user_data;
  g_autoptr(Contact) contact = contact_new ();
  const char *contact_id = NULL;

  if (!read_text (r, obj, path, contact, FIELD_FIRST_NAME, FALSE, error) ||
      !read_text (r, obj, path, contact, FIELD_LAST_NAME, FALSE, error) ||
      !sigma_state_get_string (r, obj, path, "contact_id", FALSE, &contact_id, error) ||
      !sigma_state_get_bool (r, obj, path, "is_user", FALSE, &contact->is_user, error) ||
      !read_enum (r, obj, path, &gender_enum, "gender", &contact->gender, error) ||
      !read_age (r, obj, path, contact, error) ||
      !read_enum (r, obj, path, &status_enum, "status", &contact->status, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (text_fields); i++)
    if (!read_text (r, obj, path, contact, text_fields[i], TRUE, error))
      return FALSE;

  /* ARE gives a contact without an id a fresh uuid4; Sigma draws it from the app rng. */
  contact->text[FIELD_CONTACT_ID] = contact_id != NULL && *contact_id != '\0'
                                    ? g_strdup (contact_id)
                                    : sigma_random_uuid_hex (sigma_app_get_rand (r->app));
  sigma_ordered_map_insert (contacts, key, g_steal_pointer (&contact));
  return TRUE;
}

static gboolean
read_view_limit (SigmaStateReader  *r,
                 JsonObject        *root,
                 gint64            *view_limit,
                 GError           **error)
{
  gint64 value = *view_limit;

  if (!sigma_state_get_int (r, root, "app_state", "view_limit", TRUE, &value, error))
    return FALSE;
  if (value < 1 || value > MAX_VIEW_LIMIT)
    return sigma_state_problem (r, error, "app_state.view_limit: %" G_GINT64_FORMAT
                                " is not between 1 and %d", value, MAX_VIEW_LIMIT);
  *view_limit = value;
  return TRUE;
}

static JsonNode *
sigma_contacts_app_get_state (SigmaApp *app)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (app);
  JsonObject *root = json_object_new ();

  json_object_set_member (root, "contacts",
                          sigma_ordered_map_to_json (self->contacts, (SigmaToJsonFunc) contact_to_json));
  json_object_set_int_member (root, "view_limit", self->view_limit);
  return sigma_json_object (root);
}

/* Replaces every contact (ARE merges into the current ones; the kernel's contract and ARE's
 * own use, always after a reset, make it a replacement). */
static gboolean
sigma_contacts_app_load_state (SigmaApp  *app,
                               JsonNode  *state,
                               GError   **error)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (app);
  SigmaStateReader r = { app, sigma_app_get_lenient (app) };
  JsonObject *root, *contacts = NULL;
  gint64 view_limit = DEFAULT_VIEW_LIMIT;
  g_autoptr(SigmaOrderedMap) table = NULL;

  root = sigma_state_root (app, state, error);
  if (root == NULL)
    return FALSE;
  if (!sigma_state_get_object (&r, root, "app_state", "contacts", TRUE, &contacts, error))
    return FALSE;

  table = sigma_ordered_map_new ((GDestroyNotify) contact_free);
  if ((contacts != NULL &&
       !sigma_state_read_members (&r, contacts, "app_state.contacts", read_contact, table, error)) ||
      !read_view_limit (&r, root, &view_limit, error))
    return FALSE;
  sigma_ordered_map_free (self->contacts);
  self->contacts = g_steal_pointer (&table);
  self->view_limit = view_limit;
  return TRUE;
}

static void
sigma_contacts_app_reset (SigmaApp *app)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (app);

  sigma_ordered_map_clear (self->contacts);
  self->view_limit = DEFAULT_VIEW_LIMIT;
}

/* ------------------------------------------------------------------------------------ */

static void
sigma_contacts_app_finalize (GObject *object)
{
  SigmaContactsApp *self = SIGMA_CONTACTS_APP (object);

  g_clear_pointer (&self->contacts, sigma_ordered_map_free);

  G_OBJECT_CLASS (sigma_contacts_app_parent_class)->finalize (object);
}

static void
sigma_contacts_app_class_init (SigmaContactsAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SigmaAppClass *app_class = SIGMA_APP_CLASS (klass);

  object_class->finalize = sigma_contacts_app_finalize;

  app_class->get_state = sigma_contacts_app_get_state;
  app_class->load_state = sigma_contacts_app_load_state;
  app_class->reset = sigma_contacts_app_reset;
  app_class->app_class_name = "ContactsApp";
}

static void
sigma_contacts_app_init (SigmaContactsApp *self)
{
  self->contacts = sigma_ordered_map_new ((GDestroyNotify) contact_free);
  self->view_limit = DEFAULT_VIEW_LIMIT;
  sigma_app_add_tool_specs (SIGMA_APP (self), contacts_tools, G_N_ELEMENTS (contacts_tools));
}

/**
 * sigma_contacts_app_new:
 * @name: (nullable): the instance name; "ContactsApp" when %NULL
 *
 * Creates an empty address book.
 *
 * Returns: (transfer full): a new #SigmaContactsApp
 *
 * Since: 0.1
 */
SigmaApp *
sigma_contacts_app_new (const char *name)
{
  return g_object_new (SIGMA_TYPE_CONTACTS_APP, "name", name != NULL ? name : "ContactsApp", NULL);
}
