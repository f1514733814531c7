// The notice body editor; disclosure/editor.py says what it offers and why.
//
// The textarea's data-body-editor holds the extensions, the toolbar, every word the clerk
// reads (translated on the server) and the URL of django-prose-editor's Tiptap build, which
// is imported from there: the package's own loader needs an import map, an inline script
// the CSP refuses. Without this script (or JavaScript) the plain textarea stays and works.

const ATTRIBUTE = "data-body-editor"

const isActive = (name, attributes) => (editor) => editor.isActive(name, attributes)
const inTable = isActive("table")
const notInTable = (editor) => !editor.isActive("table")

// What each toolbar item does: command, and when it is pressed, possible or shown.
const heading = (level) => ({
  command: (editor) => editor.chain().focus().toggleHeading({ level }).run(),
  active: isActive("heading", { level }),
  toggle: true,
})
const tableCommand = (name) => ({
  command: (editor) => editor.chain().focus()[name]().run(),
  enabled: (editor) => editor.can()[name](),
  hidden: notInTable,
})
const ITEMS = {
  paragraph: {
    command: (editor) => editor.chain().focus().setParagraph().run(),
    active: isActive("paragraph"),
    toggle: true,
  },
  heading2: heading(2),
  heading3: heading(3),
  heading4: heading(4),
  bulletList: {
    command: (editor) => editor.chain().focus().toggleBulletList().run(),
    enabled: (editor) => editor.can().toggleBulletList(),
    active: isActive("bulletList"),
    toggle: true,
  },
  orderedList: {
    command: (editor) => editor.chain().focus().toggleOrderedList().run(),
    enabled: (editor) => editor.can().toggleOrderedList(),
    active: isActive("orderedList"),
    toggle: true,
  },
  bold: {
    command: (editor) => editor.chain().focus().toggleBold().run(),
    enabled: (editor) => editor.can().toggleBold(),
    active: isActive("bold"),
    toggle: true,
  },
  italic: {
    command: (editor) => editor.chain().focus().toggleItalic().run(),
    enabled: (editor) => editor.can().toggleItalic(),
    active: isActive("italic"),
    toggle: true,
  },
  link: {
    // The package's dialog (its words come from window.gettext, set below).
    command: (editor) => editor.chain().addLink().focus().run(),
    enabled: (editor) => !editor.state.selection.empty || editor.isActive("link"),
    active: isActive("link"),
  },
  unlink: {
    command: (editor) => editor.chain().focus().unsetLink().run(),
    hidden: (editor) => !editor.isActive("link"),
  },
  table: {
    // Always with a header row: the public page and screen readers need one.
    command: (editor) =>
      editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    enabled: (editor) => editor.can().insertTable({ rows: 3, cols: 3, withHeaderRow: true }),
    hidden: inTable,
  },
  addRowAfter: tableCommand("addRowAfter"),
  deleteRow: tableCommand("deleteRow"),
  addColumnAfter: tableCommand("addColumnAfter"),
  deleteColumn: tableCommand("deleteColumn"),
  mergeCells: tableCommand("mergeCells"),
  splitCell: tableCommand("splitCell"),
  deleteTable: tableCommand("deleteTable"),
  undo: {
    command: (editor) => editor.commands.undo(),
    enabled: (editor) => editor.can().undo(),
  },
  redo: {
    command: (editor) => editor.commands.redo(),
    enabled: (editor) => editor.can().redo(),
  },
}

function button({ name, label, help }) {
  const element = document.createElement("button")
  element.type = "button"
  element.className = "prose-menubar__button body-editor__button"
  element.textContent = label // the visible text is the accessible name
  if (help) element.title = help
  element.dataset.item = name
  return element
}

// A toolbar item for the package's Menu.buttonGroup, with ARIA states kept up to date.
function toolbarItem(spec) {
  const behaviour = ITEMS[spec.name]
  if (!behaviour) throw new Error(`body editor: no toolbar item "${spec.name}"`)
  const element = button(spec)
  const enabled = behaviour.enabled || (() => true)
  const active = behaviour.active || (() => false)
  return {
    name: `body:${spec.name}`,
    button: element,
    command: behaviour.command,
    enabled,
    active,
    hidden: behaviour.hidden || (() => false),
    update(editor) {
      if (behaviour.toggle) element.setAttribute("aria-pressed", String(!!active(editor)))
      element.setAttribute("aria-disabled", String(!enabled(editor)))
    },
  }
}

// One named group around the package's button groups, so the toolbar is announced as such.
function toolbar(config) {
  return ({ editor, menu }) => {
    const bar = document.createElement("div")
    bar.className = "body-editor__toolbar"
    bar.setAttribute("role", "group")
    bar.setAttribute("aria-label", config.toolbarLabel)
    bar.append(
      ...config.toolbar.map((group) => menu.buttonGroup({ editor }, group.map(toolbarItem))),
    )
    return [bar]
  }
}

function extensionsFor(prose, config) {
  const extensions = Object.entries(config.extensions).map(([name, options]) => {
    const extension = prose[name]
    if (!extension) throw new Error(`body editor: no extension "${name}"`)
    return typeof options === "object" ? extension.configure(options) : extension
  })
  // defaultItems: off, so the package's English buttons never appear.
  extensions.push(prose.Menu.configure({ defaultItems: false, items: toolbar(config) }))
  return extensions
}

// The editable area is named and described like the textarea it replaces.
function accessibility(textarea) {
  const attributes = { role: "textbox", "aria-multiline": "true" }
  const label = document.querySelector(`label[for="${textarea.id}"]`)
  if (label) {
    label.id ||= `${textarea.id}_label`
    attributes["aria-labelledby"] = label.id
  }
  const described = textarea.getAttribute("aria-describedby")
  if (described) attributes["aria-describedby"] = described
  return { attributes, label }
}

function empty(html) {
  // An editor with nothing in it still holds one empty paragraph.
  return /^<(\w+)(\s[^>]*)?><\/\1>$/.test(html) ? "" : html
}

function create(prose, textarea, config) {
  const element = document.createElement("div")
  element.className = "prose-editor body-editor"
  textarea.before(element)
  element.append(textarea)
  const { attributes, label } = accessibility(textarea)
  const editor = new prose.Editor({
    element,
    extensions: extensionsFor(prose, config),
    content: textarea.value,
    // Tiptap would add its base styles as an inline <style>, which the CSP refuses;
    // static/css/editor.css carries them.
    injectCSS: false,
    editorProps: { attributes },
    // Only on a change: an untouched body is posted exactly as it was loaded.
    onUpdate({ editor }) {
      textarea.value = empty(editor.getHTML())
    },
  })
  if (label) label.addEventListener("click", () => editor.commands.focus())
  // For tests: the editor and its toolbar are in place (Tiptap builds them on "create").
  const ready = () => {
    element.dataset.ready = "true"
  }
  if (editor.isInitialized) ready()
  else editor.on("create", ready)
  return editor
}

async function start() {
  const textareas = document.querySelectorAll(`textarea[${ATTRIBUTE}]`)
  if (!textareas.length) return
  const config = JSON.parse(textareas[0].getAttribute(ATTRIBUTE))
  // The package reads window.gettext once, when it loads: set the translations first.
  const gettext = window.gettext
  window.gettext = (text) => config.words[text] ?? (gettext ? gettext(text) : text)
  const prose = await import(config.library)
  for (const textarea of textareas) {
    create(prose, textarea, JSON.parse(textarea.getAttribute(ATTRIBUTE)))
  }
}

start()
