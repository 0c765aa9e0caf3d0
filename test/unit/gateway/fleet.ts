import type { ToolInfo } from '../../../src/core/lifecycle/session';

/**
 * A fleet of 10 servers × 20 tools with names and descriptions in the style real MCP servers use, for tool search.
 * Each line: `name|description|argument,argument`.
 */
const FLEET: Record<string, string> = {
  github: `
create_issue|Create a new issue in a GitHub repository.|owner,repo,title,body,labels
get_issue|Get the details of an issue in a GitHub repository.|owner,repo,issue_number
list_issues|List issues in a GitHub repository, filtered by state and labels.|owner,repo,state,labels
update_issue|Update the title, body, state or labels of an existing issue.|owner,repo,issue_number,title,state
add_issue_comment|Add a comment to an issue or pull request.|owner,repo,issue_number,body
create_pull_request|Open a new pull request from a head branch into a base branch.|owner,repo,head,base,title
list_pull_requests|List pull requests of a repository, open or closed.|owner,repo,state
merge_pull_request|Merge a pull request using merge, squash or rebase.|owner,repo,pull_number,merge_method
get_pull_request_diff|Get the diff of a pull request.|owner,repo,pull_number
create_repository|Create a new GitHub repository in your account or an organization.|name,private,description
fork_repository|Fork a repository to your account.|owner,repo
search_repositories|Search GitHub repositories by keyword, language or topic.|query,page
search_code|Search code across GitHub repositories.|query
get_file_contents|Get the contents of a file or directory from a GitHub repository.|owner,repo,path,ref
create_or_update_file|Create or update a single file in a GitHub repository with a commit.|owner,repo,path,content,message,branch
create_branch|Create a new branch in a GitHub repository.|owner,repo,branch,from_branch
list_commits|List commits of a branch in a GitHub repository.|owner,repo,sha
create_release|Publish a release with a tag and release notes.|owner,repo,tag_name,body
list_workflow_runs|List GitHub Actions workflow runs for a repository.|owner,repo,workflow_id
get_me|Get the profile of the authenticated GitHub user.|`,
  fs: `
read_file|Read the complete contents of a file from the file system.|path
read_multiple_files|Read the contents of several files at once.|paths
write_file|Create a new file or overwrite an existing file with new content.|path,content
edit_file|Make line-based edits to a text file and return a git-style diff.|path,edits,dryRun
create_directory|Create a new directory, including parent directories.|path
list_directory|List the files and directories in a directory.|path
directory_tree|Get a recursive tree view of files and directories as JSON.|path
move_file|Move or rename a file or directory.|source,destination
search_files|Recursively search for files and directories matching a pattern.|path,pattern,excludePatterns
get_file_info|Get metadata of a file: size, creation time, modification time and permissions.|path
list_allowed_directories|List the directories this server is allowed to access.|
delete_file|Delete a file from the file system.|path
copy_file|Copy a file to a new location.|source,destination
read_media_file|Read an image or audio file and return it as base64 data.|path
head_file|Read the first lines of a text file.|path,lines
tail_file|Read the last lines of a text file, like tail.|path,lines
file_checksum|Compute the SHA-256 checksum of a file.|path
watch_directory|Watch a directory and report file changes.|path
compress_files|Compress files into a zip archive.|paths,output
extract_archive|Extract a zip or tar archive into a directory.|archive,destination`,
  slack: `
post_message|Post a message to a Slack channel.|channel_id,text
reply_to_thread|Reply to a message thread in a Slack channel.|channel_id,thread_ts,text
add_reaction|Add an emoji reaction to a message.|channel_id,timestamp,reaction
list_channels|List the public channels of the Slack workspace.|limit,cursor
get_channel_history|Get recent messages of a Slack channel.|channel_id,limit
get_thread_replies|Get all replies in a message thread.|channel_id,thread_ts
get_users|List the users of the workspace with their basic profile.|cursor,limit
get_user_profile|Get the detailed profile of a Slack user.|user_id
search_messages|Search Slack messages by keyword, channel or author.|query,channel
create_channel|Create a new Slack channel.|name,is_private
archive_channel|Archive a Slack channel.|channel_id
invite_to_channel|Invite users to a Slack channel.|channel_id,users
set_channel_topic|Set the topic of a Slack channel.|channel_id,topic
upload_file|Upload a file to a Slack channel.|channel_id,filename,content
schedule_message|Schedule a Slack message to be sent later.|channel_id,text,post_at
delete_message|Delete a message you posted.|channel_id,timestamp
pin_message|Pin a message to a channel.|channel_id,timestamp
set_status|Set your Slack status text and emoji.|status_text,status_emoji
list_reminders|List your Slack reminders.|
create_reminder|Create a reminder for yourself or another user.|text,time,user`,
  postgres: `
query|Run a read-only SQL query against the PostgreSQL database.|sql
execute|Execute a SQL statement that modifies data (INSERT, UPDATE, DELETE).|sql
list_schemas|List the schemas of the database.|
list_tables|List the tables of a schema.|schema
describe_table|Describe the columns, types and constraints of a table.|schema,table
list_indexes|List the indexes of a table.|table
explain_query|Show the execution plan of a SQL query (EXPLAIN ANALYZE).|sql
get_table_size|Get the disk size and row estimate of a table.|table
list_extensions|List the installed PostgreSQL extensions.|
create_index|Create an index on table columns.|table,columns,unique
vacuum_table|Run VACUUM on a table to reclaim storage.|table
list_active_queries|List the queries currently running in the database.|
cancel_query|Cancel a running query by its backend process id.|pid
list_roles|List database roles and their privileges.|
export_table_csv|Export the rows of a table as CSV.|table,limit
import_csv|Import rows from CSV data into a table.|table,csv
list_foreign_keys|List the foreign key relationships of a table.|table
analyze_database_health|Check database health: bloat, cache hit ratio, unused indexes.|
list_slow_queries|List the slowest queries from pg_stat_statements.|limit
backup_database|Create a logical backup of the database with pg_dump.|output`,
  jira: `
create_ticket|Create a Jira ticket in a project with a summary and description.|project_key,summary,description,issue_type
get_ticket|Get a Jira ticket by key.|ticket_key
search_tickets|Search Jira tickets with JQL.|jql,max_results
update_ticket|Update fields of a Jira ticket.|ticket_key,fields
transition_ticket|Move a Jira ticket to another status in its workflow.|ticket_key,transition_id
assign_ticket|Assign a Jira ticket to a user.|ticket_key,assignee
add_comment|Add a comment to a Jira ticket.|ticket_key,body
list_projects|List the Jira projects you can see.|
get_sprint|Get the active sprint of a board.|board_id
list_sprint_tickets|List the tickets in a sprint.|sprint_id
create_sprint|Create a sprint on a Scrum board.|board_id,name,start_date,end_date
log_work|Log time spent on a Jira ticket.|ticket_key,time_spent
link_tickets|Link two Jira tickets (blocks, relates to, duplicates).|inward_key,outward_key,link_type
list_boards|List Scrum and Kanban boards.|project_key
get_epic|Get an epic and its child tickets.|epic_key
add_attachment|Attach a file to a Jira ticket.|ticket_key,filename,content
list_versions|List the fix versions of a project.|project_key
create_version|Create a fix version in a project.|project_key,name,release_date
get_changelog|Get the change history of a Jira ticket.|ticket_key
watch_ticket|Watch a Jira ticket to get notified of changes.|ticket_key`,
  git: `
status|Show the working tree status of a local git repository.|repo_path
diff_unstaged|Show changes in the working directory that are not yet staged.|repo_path
diff_staged|Show changes that are staged for commit.|repo_path
diff|Show differences between branches or commits.|repo_path,target
commit|Record the staged changes to the repository with a commit message.|repo_path,message
add|Add file contents to the staging area.|repo_path,files
reset|Unstage all staged changes.|repo_path
log|Show the commit log of the local repository.|repo_path,max_count
create_branch|Create a new local branch from a base branch.|repo_path,branch_name,base_branch
checkout|Switch to another branch.|repo_path,branch_name
show|Show the contents of a commit.|repo_path,revision
init|Initialize a new empty git repository.|repo_path
branch_list|List local and remote branches.|repo_path
stash|Stash the changes in a dirty working directory.|repo_path,message
stash_pop|Apply and remove the latest stash.|repo_path
push|Push local commits to a remote.|repo_path,remote,branch
pull|Fetch from a remote and integrate the changes.|repo_path,remote,branch
blame|Show which commit and author last changed each line of a file.|repo_path,file
tag|Create a lightweight or annotated tag.|repo_path,name,message
cherry_pick|Apply the changes of an existing commit onto the current branch.|repo_path,commit`,
  browser: `
navigate|Navigate the browser to a URL.|url
screenshot|Take a screenshot of the current page or an element.|name,selector,fullPage
click|Click an element on the page.|selector
fill|Fill out an input field.|selector,value
select_option|Select an option in a dropdown.|selector,value
hover|Hover the mouse over an element.|selector
evaluate|Execute JavaScript in the page and return the result.|script
get_console_logs|Get the console messages of the page.|
go_back|Go back to the previous page in history.|
press_key|Press a key on the keyboard.|key
wait_for_selector|Wait until an element matching a selector appears.|selector,timeout
get_page_text|Get the visible text content of the page.|
get_html|Get the HTML of the page or an element.|selector
save_pdf|Save the current page as a PDF document.|path
upload_file|Set a file on a file input element.|selector,path
new_tab|Open a new browser tab.|url
close_tab|Close the current browser tab.|
list_network_requests|List the network requests the page made.|
set_viewport|Resize the browser viewport.|width,height
accessibility_snapshot|Capture the accessibility tree of the page.|`,
  docker: `
list_containers|List Docker containers, running or all.|all
run_container|Create and start a container from an image.|image,name,ports,env
stop_container|Stop a running container.|container_id
start_container|Start a stopped container.|container_id
restart_container|Restart a Docker container.|container_id
remove_container|Remove a container.|container_id,force
fetch_container_logs|Fetch the logs of a container.|container_id,tail
exec_in_container|Run a command inside a running container.|container_id,command
inspect_container|Show low-level details of a container.|container_id
list_images|List the local Docker images.|
pull_image|Pull an image from a registry.|image,tag
build_image|Build an image from a Dockerfile.|path,tag
remove_image|Remove a local image.|image
list_volumes|List Docker volumes.|
create_volume|Create a named volume.|name
list_networks|List Docker networks.|
create_network|Create a Docker network.|name,driver
compose_up|Start the services of a Docker Compose project.|project_dir
compose_down|Stop and remove the services of a Docker Compose project.|project_dir
container_stats|Show CPU, memory and network usage of containers.|container_id`,
  calendar: `
list_events|List upcoming events of a calendar in a time range.|calendar_id,time_min,time_max
create_event|Schedule a new event or meeting with attendees.|summary,start,end,attendees
update_event|Change the time, title or attendees of an event.|event_id,summary,start,end
delete_event|Cancel and delete a calendar event.|event_id
get_event|Get the details of a calendar event.|event_id
find_free_slots|Find time slots when all attendees are free.|attendees,duration,time_min,time_max
list_calendars|List the calendars you can access.|
respond_to_invitation|Accept, decline or tentatively accept an invitation.|event_id,response
quick_add_event|Create an event from a sentence like "Lunch with Ana tomorrow at noon".|text
create_recurring_event|Create an event that repeats daily, weekly or monthly.|summary,start,recurrence
list_attendees|List the attendees of an event and their responses.|event_id
add_attendee|Invite a person to an existing event.|event_id,email
set_reminder|Set a notification before an event starts.|event_id,minutes
get_timezone|Get the time zone of a calendar.|calendar_id
share_calendar|Share a calendar with a person.|calendar_id,email,role
create_calendar|Create a secondary calendar.|summary
move_event|Move an event to another calendar.|event_id,destination
search_events|Search events by text.|query
set_out_of_office|Block time as out of office.|start,end
list_holidays|List the public holidays of a country.|country,year`,
  email: `
send_email|Send an email message to one or more recipients.|to,subject,body,cc
search_messages|Search mailbox messages by sender, subject or text.|query,max_results
read_message|Read an email message with its headers and body.|message_id
reply|Reply to an email message.|message_id,body
forward|Forward an email message to other recipients.|message_id,to
create_draft|Save an email as a draft without sending it.|to,subject,body
list_drafts|List saved drafts.|
delete_message|Move an email message to the trash.|message_id
archive_message|Archive an email message out of the inbox.|message_id
mark_as_read|Mark email messages as read.|message_ids
list_labels|List mailbox labels and folders.|
add_label|Add a label to email messages.|message_ids,label
remove_label|Remove a label from email messages.|message_ids,label
get_attachment|Download an attachment of an email message.|message_id,attachment_id
list_threads|List conversation threads in the inbox.|query
get_thread|Get all messages of a conversation thread.|thread_id
create_filter|Create a rule that sorts incoming email automatically.|criteria,action
unsubscribe|Unsubscribe from a mailing list.|message_id
get_signature|Get your email signature.|
set_vacation_responder|Turn the automatic vacation reply on or off.|enabled,message`,
};

function tool(line: string): ToolInfo {
  const [name, description, args] = line.split('|') as [string, string, string];
  const properties = Object.fromEntries(args.split(',').filter((a) => a !== '').map((a) => [a, { type: 'string' }]));
  return { name, description, inputSchema: { type: 'object', properties } };
}

/** The fleet's servers with their tools, in a fixed order. */
export function fleet(): { name: string; tools: ToolInfo[] }[] {
  return Object.entries(FLEET).map(([name, text]) => ({ name, tools: text.trim().split('\n').map(tool) }));
}
