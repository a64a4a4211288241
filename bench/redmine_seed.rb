# The peer of bench.compare: a Redmine of 1,000 public projects with 20 issues each (about 600 of them
# open and overdue), the shape of bench.pages' portfolio. Run with Debian's Redmine (see
# docs/benchmarks.md, "Side by side with another product"):
#
#   cd /usr/share/redmine && RAILS_ENV=production X_DEBIAN_SITEID=default \
#       bin/rails runner /path/to/bench/redmine_seed.rb
#
# It empties the projects and issues, inserts the new ones in bulk, enables the REST API, sets the
# admin's password to "bench-password-2026" and prints the admin's API key.
n = (ENV["PROJECTS"] || "1000").to_i
now = Time.now
today = Date.today
srand(2027)
ActiveRecord::Base.transaction do
  Issue.delete_all
  EnabledModule.delete_all
  Project.delete_all
  ActiveRecord::Base.connection.execute("DELETE FROM projects_trackers")
  Project.insert_all((1..n).map { |i|
    {name: "Programme #{i}", identifier: "programme-#{i}", description: "Programme number #{i}",
     is_public: true, status: 1, lft: 2 * i - 1, rgt: 2 * i, created_on: now, updated_on: now,
     inherit_members: false}
  })
  ids = Project.order(:id).pluck(:id)
  modules = %w(issue_tracking time_tracking news documents files wiki repository boards calendar gantt)
  EnabledModule.insert_all(ids.flat_map { |pid| modules.map { |m| {project_id: pid, name: m} } })
  trackers = Tracker.pluck(:id)
  ActiveRecord::Base.connection.execute(
    "INSERT INTO projects_trackers (project_id, tracker_id) VALUES " +
    ids.flat_map { |pid| trackers.map { |t| "(#{pid}, #{t})" } }.join(",")
  )
  open_status = IssueStatus.where(is_closed: false).order(:position).first.id
  closed_status = IssueStatus.where(is_closed: true).order(:position).first.id
  priority = (IssuePriority.default || IssuePriority.first).id
  admin = User.find_by(login: "admin")
  # Due dates spread from four months ago to about eight months ahead; nine in ten past ones closed.
  rows = ids.flat_map { |pid|
    (1..20).map { |k|
      due = today + (k * 18 - 120 + rand(-20..20))
      closed = due < today && rand < 0.9
      {tracker_id: trackers.first, project_id: pid, subject: "Milestone #{k} of programme #{pid}",
       status_id: closed ? closed_status : open_status, priority_id: priority, author_id: admin.id,
       start_date: due - 30, due_date: due, done_ratio: closed ? 100 : 0, is_private: false,
       lock_version: 0, created_on: now, updated_on: now, lft: 1, rgt: 2,
       closed_on: closed ? now : nil}
    }
  }
  rows.each_slice(5000) { |slice| Issue.insert_all(slice) }
  ActiveRecord::Base.connection.execute("UPDATE issues SET root_id = id")
end
Setting.rest_api_enabled = "1"
admin = User.find_by(login: "admin")
admin.password = admin.password_confirmation = "bench-password-2026"
admin.must_change_passwd = false
admin.save!
overdue = Issue.open.where("due_date < ?", Date.today).count
puts "projects=#{Project.count} issues=#{Issue.count} open_and_overdue=#{overdue}"
puts "api_key=#{admin.api_key}"
